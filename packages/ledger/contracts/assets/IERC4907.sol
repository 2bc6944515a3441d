// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title ERC-4907 rental NFT: a time-limited "user" role beside the owner (https://eips.ethereum.org/EIPS/eip-4907).
interface IERC4907 {
    /// @notice Emitted when the user of an NFT or its expiry changes (name fixed by the standard).
    event UpdateUser(uint256 indexed tokenId, address indexed user, uint64 expires);

    /// @notice Sets the user and expiry of an NFT. Only its owner or an approved operator may call.
    function setUser(uint256 tokenId, address user, uint64 expires) external;

    /// @notice The current user of an NFT, or the zero address when none or expired.
    function userOf(uint256 tokenId) external view returns (address);

    /// @notice The expiry (unix seconds) of the user role of an NFT.
    function userExpires(uint256 tokenId) external view returns (uint256);
}
