// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721Core} from "./ERC721Core.sol";

/// @title TicketNFT: Aurum Circle event tickets as ERC-721 tokens.
/// @notice The server's minter mints each ticket under a token id it chose when the ticket was claimed,
/// so a retried mint can never create a second token: an id is minted at most once, ever. Burning
/// (a refund) retires the id for good; a minter may also retire an id that was never minted, which
/// makes any mint still in flight for it fail. tokenURI = baseURI + decimal token id.
contract TicketNFT is ERC721Core {
    string public constant name = "Aurum Circle Ticket";
    string public constant symbol = "AURUMT";

    address public owner;
    string public baseURI;
    uint256 public totalSupply;

    mapping(address => bool) public isMinter;
    mapping(uint256 => uint256) private _eventOf;
    mapping(uint256 => bool) private _retired;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);
    event MinterSet(address indexed minter, bool allowed);
    event BaseURIChanged(string baseURI);
    event TicketMinted(uint256 indexed tokenId, uint256 indexed eventId, address indexed to);
    event TicketRetired(uint256 indexed tokenId);

    error NotOwner();
    error NotMinter();
    error TokenUnavailable(uint256 tokenId);

    constructor(string memory initialBaseURI) {
        owner = msg.sender;
        baseURI = initialBaseURI;
        emit OwnershipTransferred(address(0), msg.sender);
        emit BaseURIChanged(initialBaseURI);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    /// @notice Grants or withdraws the minter role.
    function setMinter(address minter, bool allowed) external onlyOwner {
        isMinter[minter] = allowed;
        emit MinterSet(minter, allowed);
    }

    /// @notice Changes the metadata base URI (token URIs are baseURI + token id).
    function setBaseURI(string calldata newBaseURI) external onlyOwner {
        baseURI = newBaseURI;
        emit BaseURIChanged(newBaseURI);
    }

    /// @notice Hands ownership (minter administration, base URI) to `newOwner`.
    function transferOwnership(address newOwner) external onlyOwner {
        emit OwnershipTransferred(owner, newOwner);
        owner = newOwner;
    }

    /// @notice Mints ticket `tokenId` of event `eventId` to `to`; an id that exists or was retired is refused.
    function mint(address to, uint256 tokenId, uint256 eventId) external {
        if (!isMinter[msg.sender]) revert NotMinter();
        if (to == address(0)) revert InvalidRecipient();
        if (_ownerOf[tokenId] != address(0) || _retired[tokenId]) revert TokenUnavailable(tokenId);
        _ownerOf[tokenId] = to;
        _eventOf[tokenId] = eventId;
        unchecked {
            _balanceOf[to] += 1;
            totalSupply += 1;
        }
        emit Transfer(address(0), to, tokenId);
        emit TicketMinted(tokenId, eventId, to);
    }

    /// @notice Burns `tokenId` and retires the id. Holders and approved accounts may burn their token;
    /// a minter may burn any token, and may retire an id that was never minted (idempotent).
    function burn(uint256 tokenId) external {
        address holder = _ownerOf[tokenId];
        bool minter = isMinter[msg.sender];
        if (holder == address(0)) {
            if (!minter) revert UnknownToken(tokenId);
            if (!_retired[tokenId]) {
                _retired[tokenId] = true;
                emit TicketRetired(tokenId);
            }
            return;
        }
        if (
            !minter && msg.sender != holder && !_operators[holder][msg.sender]
                && msg.sender != _approved[tokenId]
        ) revert NotAuthorized();
        unchecked {
            _balanceOf[holder] -= 1;
            totalSupply -= 1;
        }
        delete _ownerOf[tokenId];
        delete _approved[tokenId];
        _retired[tokenId] = true;
        emit Transfer(holder, address(0), tokenId);
        emit TicketRetired(tokenId);
    }

    /// @notice Everything the minting job needs in one call: current holder (zero if none), whether the id
    /// is retired, and the event id recorded at mint.
    function tokenState(uint256 tokenId) external view returns (address holder, bool retired, uint256 eventId) {
        return (_ownerOf[tokenId], _retired[tokenId], _eventOf[tokenId]);
    }

    /// @notice The event a minted ticket belongs to.
    function eventOf(uint256 tokenId) external view returns (uint256) {
        ownerOf(tokenId);
        return _eventOf[tokenId];
    }

    function tokenURI(uint256 tokenId) external view override returns (string memory) {
        ownerOf(tokenId);
        return string.concat(baseURI, _toDecimal(tokenId));
    }

    function _toDecimal(uint256 value) private pure returns (string memory) {
        if (value == 0) return "0";
        uint256 digits;
        for (uint256 rest = value; rest != 0; rest /= 10) {
            digits++;
        }
        bytes memory text = new bytes(digits);
        while (value != 0) {
            digits -= 1;
            text[digits] = bytes1(uint8(48 + (value % 10)));
            value /= 10;
        }
        return string(text);
    }
}
