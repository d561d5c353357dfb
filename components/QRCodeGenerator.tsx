import { qrPathData } from "@/core/qr.ts";

/** Props of {@link QRCodeGenerator}. */
export interface QRCodeGeneratorProps {
  /** What the code encodes (the World App link). */
  value: string;
  /** Accessible name, e.g. "QR code for invite ABCD-…". */
  label: string;
  /** Rendered width and height in CSS pixels. */
  size?: number;
}

/** A QR code rendered on the server as SVG (core/qr.ts): no QR JavaScript reaches the browser. */
export function QRCodeGenerator({ value, label, size = 192 }: QRCodeGeneratorProps) {
  const { side, path } = qrPathData(value);
  return (
    <figure class="qr" data-testid="invite-qr">
      <svg
        xmlns="http://www.w3.org/2000/svg"
        viewBox={`0 0 ${side} ${side}`}
        width={size}
        height={size}
        shape-rendering="crispEdges"
        role="img"
        aria-label={label}
      >
        <rect width={side} height={side} fill="#fff" />
        <path d={path} fill="#000" />
      </svg>
      <figcaption class="qr__caption">{label}</figcaption>
    </figure>
  );
}
