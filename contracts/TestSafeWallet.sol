// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title TestSafeWallet: a contract wallet that validates signatures per EIP-1271.
/// @notice Stands in for World App's Safe wallets in tests: a signature is valid when the wallet's
///         owner signed the 32-byte hash directly (65-byte r,s,v ECDSA signature).
contract TestSafeWallet {
    bytes4 internal constant MAGIC_VALUE = 0x1626ba7e;
    bytes4 internal constant INVALID = 0xffffffff;
    uint256 internal constant HALF_CURVE_ORDER =
        0x7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0;

    address public immutable owner;

    constructor(address walletOwner) {
        owner = walletOwner;
    }

    /// @notice EIP-1271: returns 0x1626ba7e when `signature` is the owner's signature over `hash`.
    function isValidSignature(bytes32 hash, bytes calldata signature) external view returns (bytes4) {
        if (signature.length != 65) return INVALID;
        bytes32 r = bytes32(signature[0:32]);
        bytes32 s = bytes32(signature[32:64]);
        uint8 v = uint8(signature[64]);
        if (v < 27) v += 27;
        if (v != 27 && v != 28) return INVALID;
        if (uint256(s) > HALF_CURVE_ORDER) return INVALID;
        address signer = ecrecover(hash, v, r, s);
        if (signer == address(0) || signer != owner) return INVALID;
        return MAGIC_VALUE;
    }
}
