// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ERC2981} from "@openzeppelin/contracts/token/common/ERC2981.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC4907} from "./IERC4907.sol";
import {AssetKind, AssetInput, LineageLink} from "./AssetTypes.sol";

/**
 * @title AssetRegistry
 * @notice ERC721 registry of AIC assets (Data, Dataset, Model, TrainedAI). Each token records its manifest CID, the
 * Merkle root of its content, a price per use, a license id and its lineage (parents with revenue shares), carries an
 * ERC2981 sale royalty and an ERC-4907 time-limited user role for rentals.
 *
 * Usage fees are always paid to {ownerOf} at payment time (see Plaza, ComputeMarket, Payroll), so selling the NFT moves
 * all future income. Lineage is fixed at mint: a child's owner can never cut its parents out.
 */
contract AssetRegistry is ERC721, ERC2981, AccessControl, IERC4907 {
    /// @notice May mint assets to other addresses (e.g. the ComputeMarket minting a TrainedAI to its requester).
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    /// @notice Most parents an asset may have; bounds the gas of lineage payouts.
    uint256 public constant MAX_PARENTS = 8;
    /// @notice Highest sale royalty an asset may carry (25 %).
    uint96 public constant MAX_ROYALTY_BPS = 2_500;

    struct Asset {
        AssetKind kind;
        uint32 licenseId;
        uint96 pricePerUse;
        uint64 transferCount; // packed with the fields above, so counting transfers costs no extra slot
        bytes32 contentRoot;
        string manifestCid;
    }

    struct UserInfo {
        address user;
        uint64 expires;
    }

    mapping(uint256 tokenId => Asset) private _assets;
    mapping(uint256 tokenId => LineageLink[]) private _lineage;
    mapping(uint256 tokenId => UserInfo) private _users;
    uint256 private _nextId = 1;

    /// @notice Emitted when an asset is minted.
    event AssetMinted(
        uint256 indexed tokenId, address indexed owner, AssetKind indexed kind, string manifestCid, bytes32 contentRoot
    );
    /// @notice Emitted when an owner changed the price per use.
    event PricePerUseChanged(uint256 indexed tokenId, uint96 pricePerUse);

    error AssetNotFound(uint256 tokenId);
    error LineageTooLong(uint256 length);
    error LineageSharesTooHigh(uint256 totalBps);
    error LineageParentInvalid(uint256 parentId);
    error RoyaltyTooHigh(uint96 royaltyBps);
    error EmptyManifestCid();
    error NotTokenOwnerOrApproved(uint256 tokenId, address caller);
    error UserRoleActive(uint256 tokenId, address user, uint64 expires);

    constructor(address admin) ERC721("AIC Asset", "AICA") {
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ----------------------------------------------------------------------------------------------------- minting

    /// @notice Mints a new asset to the caller.
    /// @return tokenId The new token id (ids start at 1).
    function mint(AssetInput calldata input) external returns (uint256 tokenId) {
        return _mintAsset(msg.sender, input);
    }

    /// @notice Mints a new asset to `to`. Restricted to MINTER_ROLE.
    function mintFor(address to, AssetInput calldata input) external onlyRole(MINTER_ROLE) returns (uint256 tokenId) {
        return _mintAsset(to, input);
    }

    /// @notice Sets the price per use of an asset. Only its owner or an approved operator may call.
    function setPricePerUse(uint256 tokenId, uint96 pricePerUse) external {
        _checkAuthorizedCaller(tokenId);
        _assets[tokenId].pricePerUse = pricePerUse;
        emit PricePerUseChanged(tokenId, pricePerUse);
    }

    // ------------------------------------------------------------------------------------------------------- views

    /// @notice The record of an asset. Reverts with AssetNotFound for an unknown id.
    function assetOf(uint256 tokenId) external view returns (Asset memory) {
        _requireAsset(tokenId);
        return _assets[tokenId];
    }

    /// @notice The parents of an asset with their revenue shares.
    function lineageOf(uint256 tokenId) external view returns (LineageLink[] memory) {
        _requireAsset(tokenId);
        return _lineage[tokenId];
    }

    /// @notice Who is paid a usage fee now and at what price, in one call: the owner, the kind, the price per use,
    /// and whether income must be split along lineage (then pay through Payroll instead of the owner).
    function payeeOf(uint256 tokenId)
        external
        view
        returns (address owner, AssetKind kind, uint96 pricePerUse, bool hasLineage)
    {
        owner = _requireOwned(tokenId);
        Asset storage asset = _assets[tokenId];
        (kind, pricePerUse) = (asset.kind, asset.pricePerUse);
        hasLineage = _lineage[tokenId].length != 0;
    }

    /// @notice An asset's kind and price per use, what a job's quote needs: unlike {payeeOf} it reads neither the owner
    /// nor the lineage (two cold slots fewer per asset a job names; gas goal of issue 15). Reverts with
    /// ERC721NonexistentToken for an unknown id, as {payeeOf} does.
    function priceOf(uint256 tokenId) external view returns (AssetKind kind, uint96 pricePerUse) {
        if (tokenId == 0 || tokenId >= _nextId) revert ERC721NonexistentToken(tokenId);
        Asset storage asset = _assets[tokenId];
        (kind, pricePerUse) = (asset.kind, asset.pricePerUse);
    }

    /// @notice Number of assets minted so far.
    function totalMinted() external view returns (uint256) {
        return _nextId - 1;
    }

    /// @notice ERC-4907: the current renter of `tokenId`, or zero when none or expired.
    function userOf(uint256 tokenId) external view returns (address) {
        UserInfo memory info = _users[tokenId];
        return info.expires >= block.timestamp ? info.user : address(0);
    }

    /// @notice ERC-4907: when the current user role of `tokenId` ends (unix seconds).
    function userExpires(uint256 tokenId) external view returns (uint256) {
        return _users[tokenId].expires;
    }

    /// @notice How many times `tokenId` changed hands since it was minted. An offer bound to this value (a Plaza sale
    /// listing) lapses with the ownership period it was made in, even if the NFT later returns to the same owner.
    function transferCountOf(uint256 tokenId) external view returns (uint64) {
        _requireOwned(tokenId);
        return _assets[tokenId].transferCount;
    }

    /// @notice ERC-4907: grants `user` the use of `tokenId` until `expires`. Owner or approved operator only.
    /// While a user role is live it may only be extended for the same user (else UserRoleActive): a rental is paid
    /// for (Plaza), so no owner, present or future, can evict the renter or cut the term short.
    /// @dev Unlike the EIP's reference code, a transfer does not clear the user: a paid rental survives a sale.
    function setUser(uint256 tokenId, address user, uint64 expires) external {
        _checkAuthorizedCaller(tokenId);
        UserInfo memory current = _users[tokenId];
        bool live = current.user != address(0) && current.expires >= block.timestamp;
        if (live && (user != current.user || expires < current.expires)) {
            revert UserRoleActive(tokenId, current.user, current.expires);
        }
        _users[tokenId] = UserInfo(user, expires);
        emit UpdateUser(tokenId, user, expires);
    }

    /// @notice Metadata URI: the manifest on IPFS.
    function tokenURI(uint256 tokenId) public view override returns (string memory) {
        _requireOwned(tokenId);
        return string.concat("ipfs://", _assets[tokenId].manifestCid);
    }

    /// @inheritdoc ERC721
    function supportsInterface(bytes4 interfaceId) public view override(ERC721, ERC2981, AccessControl) returns (bool) {
        return interfaceId == type(IERC4907).interfaceId || super.supportsInterface(interfaceId);
    }

    // ----------------------------------------------------------------------------------------------------- private

    /// @dev Counts every transfer after the mint (see {transferCountOf}).
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from != address(0)) {
            unchecked {
                ++_assets[tokenId].transferCount; // one per transaction at most; 2^64 transfers cannot happen
            }
        }
    }

    function _mintAsset(address to, AssetInput calldata input) private returns (uint256 tokenId) {
        if (bytes(input.manifestCid).length == 0) revert EmptyManifestCid();
        if (input.royaltyBps > MAX_ROYALTY_BPS) revert RoyaltyTooHigh(input.royaltyBps);
        tokenId = _nextId++;
        _assets[tokenId] = Asset(input.kind, input.licenseId, input.pricePerUse, 0, input.contentRoot, input.manifestCid);
        _storeLineage(tokenId, input.lineage);
        if (input.royaltyBps != 0) _setTokenRoyalty(tokenId, input.royaltyReceiver, input.royaltyBps);
        _safeMint(to, tokenId);
        emit AssetMinted(tokenId, to, input.kind, input.manifestCid, input.contentRoot);
    }

    function _storeLineage(uint256 tokenId, LineageLink[] calldata lineage) private {
        if (lineage.length > MAX_PARENTS) revert LineageTooLong(lineage.length);
        uint256 totalBps;
        for (uint256 i = 0; i < lineage.length; ++i) {
            uint256 parentId = lineage[i].parentId;
            // Parents must already exist, so lineage is a DAG by construction (a parent id is always < tokenId).
            if (parentId == 0 || parentId >= tokenId) revert LineageParentInvalid(parentId);
            totalBps += lineage[i].shareBps;
            _lineage[tokenId].push(lineage[i]);
        }
        if (totalBps > 10_000) revert LineageSharesTooHigh(totalBps);
    }

    function _checkAuthorizedCaller(uint256 tokenId) private view {
        address owner = _requireOwned(tokenId);
        if (!_isAuthorized(owner, msg.sender, tokenId)) revert NotTokenOwnerOrApproved(tokenId, msg.sender);
    }

    function _requireAsset(uint256 tokenId) private view {
        if (tokenId == 0 || tokenId >= _nextId) revert AssetNotFound(tokenId);
    }
}
