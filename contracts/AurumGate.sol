// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721Core} from "./ERC721Core.sol";

/// @title AurumGate: the ERC-721 whose holders may enter the Aurum Circle vault.
/// @notice Deliberately minimal: the owner mints; holders transfer. Used for development and tests.
contract AurumGate is ERC721Core {
    string public constant name = "Aurum Circle Gate";
    string public constant symbol = "AURUM";

    address public owner;
    uint256 public totalSupply;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    error NotOwner();

    constructor() {
        owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    /// @notice Mints the next token id to `to`; only the owner may mint.
    function mint(address to) external returns (uint256 tokenId) {
        if (msg.sender != owner) revert NotOwner();
        if (to == address(0)) revert InvalidRecipient();
        tokenId = ++totalSupply;
        _ownerOf[tokenId] = to;
        unchecked {
            _balanceOf[to] += 1;
        }
        emit Transfer(address(0), to, tokenId);
    }

    /// @notice Hands the minting right to `newOwner`.
    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert NotOwner();
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    function tokenURI(uint256 tokenId) external view override returns (string memory) {
        ownerOf(tokenId);
        return "";
    }
}
