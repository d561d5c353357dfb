//! Minimal EXIF reader: only the IFD0 orientation tag (0x0112) is needed.

/// Reads the orientation (1–8) from TIFF-structured EXIF data; 1 when absent or malformed.
pub fn orientation(tiff: &[u8]) -> u8 {
    read_orientation(tiff)
        .filter(|o| (1..=8).contains(o))
        .unwrap_or(1)
}

fn read_orientation(t: &[u8]) -> Option<u8> {
    let le = match t.get(0..2)? {
        b"II" => true,
        b"MM" => false,
        _ => return None,
    };
    let u16_at = |o: usize| -> Option<u16> {
        let b = t.get(o..o + 2)?;
        Some(if le {
            u16::from_le_bytes([b[0], b[1]])
        } else {
            u16::from_be_bytes([b[0], b[1]])
        })
    };
    let u32_at = |o: usize| -> Option<u32> {
        let b = t.get(o..o + 4)?;
        let a = [b[0], b[1], b[2], b[3]];
        Some(if le {
            u32::from_le_bytes(a)
        } else {
            u32::from_be_bytes(a)
        })
    };
    if u16_at(2)? != 42 {
        return None;
    }
    let ifd = u32_at(4)? as usize;
    let count = u16_at(ifd)? as usize;
    for i in 0..count.min(512) {
        let e = ifd.checked_add(2 + i * 12)?;
        if u16_at(e)? == 0x0112 {
            return Some(u16_at(e + 8)? as u8);
        }
    }
    None
}

/// Builds a minimal big-endian EXIF APP1 payload carrying only an orientation (for fixtures).
pub fn orientation_app1(orientation: u8) -> Vec<u8> {
    let mut v = b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01".to_vec();
    v.extend_from_slice(&[0x01, 0x12, 0x00, 0x03, 0, 0, 0, 1, 0, orientation, 0, 0]);
    v.extend_from_slice(&[0, 0, 0, 0]);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_orientation_both_orders() {
        let app1 = orientation_app1(6);
        assert_eq!(orientation(&app1[6..]), 6);
        let le = [
            b'I', b'I', 42, 0, 8, 0, 0, 0, 1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 8, 0, 0, 0,
        ];
        assert_eq!(orientation(&le), 8);
        assert_eq!(orientation(b"garbage"), 1);
        assert_eq!(orientation(&[]), 1);
    }
}
