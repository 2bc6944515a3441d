// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {AssetFees} from "../shared/AssetFees.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {Payroll} from "../payroll/Payroll.sol";

/**
 * @title Plaza (AI PLAZA)
 * @notice The marketplace of asset NFTs: fixed-price sales (ERC2981 royalty honoured), usage rights (N uses, or a
 * time window of non-exclusive access), and exclusive rentals (ERC-4907 user role). Every payment is in AIC and may
 * carry an EIP-2612 permit, so no separate approve is needed. A protocol fee (capped) goes to the treasury.
 *
 * Plaza never holds AIC between calls: every payment is passed on within the same transaction.
 */
contract Plaza is PermitPayments, AccessControl, ReentrancyGuard {
    using SafeERC20 for IERC20;

    /// @notice Highest protocol fee governance may set (10 %).
    uint16 public constant MAX_FEE_BPS = 1_000;

    struct SaleListing {
        address seller;
        uint96 price;
    }

    /// @notice Daily price and longest term for time-based access (non-exclusive) or rental (exclusive). Terms lapse
    /// when the NFT changes hands: they bind only the owner who offered them.
    struct TimeTerms {
        uint96 pricePerDay;
        uint32 maxDays;
        address offeredBy;
    }

    AssetRegistry private immutable _registry;
    Payroll private immutable _payroll;
    address private _treasury;
    uint16 private _feeBps;

    /// Listings are kept per ownership period (AssetRegistry.transferCountOf): a listing lapses as soon as the NFT moves,
    /// and never comes back to life if the NFT returns to the seller later (the "stale listing" exploit).
    mapping(uint256 tokenId => mapping(uint64 transferCount => SaleListing)) private _sales;
    mapping(uint256 tokenId => TimeTerms) private _accessTerms;
    mapping(uint256 tokenId => TimeTerms) private _rentalTerms;
    mapping(uint256 tokenId => mapping(address user => uint256)) private _usesLeft;
    mapping(uint256 tokenId => mapping(address user => uint64)) private _accessUntil;

    event SaleListed(uint256 indexed tokenId, address indexed seller, uint96 price);
    event SaleCancelled(uint256 indexed tokenId);
    event Sold(uint256 indexed tokenId, address indexed seller, address indexed buyer, uint256 price, uint256 royalty, uint256 fee);
    event AccessTermsSet(uint256 indexed tokenId, uint96 pricePerDay, uint32 maxDays);
    event RentalTermsSet(uint256 indexed tokenId, uint96 pricePerDay, uint32 maxDays);
    event UsesBought(uint256 indexed tokenId, address indexed buyer, uint256 uses, uint256 paid);
    event UsesConsumed(uint256 indexed tokenId, address indexed user, uint256 uses);
    event AccessBought(uint256 indexed tokenId, address indexed buyer, uint64 until, uint256 paid);
    event Rented(uint256 indexed tokenId, address indexed renter, uint64 until, uint256 paid);
    event FeeChanged(uint16 feeBps);
    event TreasuryChanged(address treasury);

    error FeeTooHigh(uint16 feeBps);
    error ZeroAddress();
    error NotAssetOwnerOrApproved(uint256 tokenId, address caller);
    error PlazaNotApproved(uint256 tokenId);
    error NotForSale(uint256 tokenId);
    error PriceAboveLimit(uint256 price, uint256 maxPrice);
    error ZeroQuantity();
    error TermsNotOffered(uint256 tokenId);
    error TermTooLong(uint256 requestedDays, uint256 maxDays);
    error AlreadyRented(uint256 tokenId, address user);
    error InsufficientUses(uint256 tokenId, address user, uint256 left, uint256 wanted);
    error NotAssetServer(uint256 tokenId, address caller);

    constructor(IERC20 aic, AssetRegistry registry, Payroll payroll, address admin, address treasury, uint16 feeBps)
        PermitPayments(aic)
    {
        if (treasury == address(0)) revert ZeroAddress();
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        _registry = registry;
        _payroll = payroll;
        _treasury = treasury;
        _feeBps = feeBps;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // Usage fees of assets with lineage are paid through Payroll, which pulls them from here.
        aic.forceApprove(address(payroll), type(uint256).max);
    }

    // --------------------------------------------------------------------------------------------------- sales

    /// @notice Lists an asset for sale at a fixed price. Plaza must be approved to transfer the NFT.
    function listForSale(uint256 tokenId, uint96 price) external {
        address owner = _checkOwnerOrApproved(tokenId);
        if (_registry.getApproved(tokenId) != address(this) && !_registry.isApprovedForAll(owner, address(this))) {
            revert PlazaNotApproved(tokenId);
        }
        _sales[tokenId][_registry.transferCountOf(tokenId)] = SaleListing(owner, price);
        emit SaleListed(tokenId, owner, price);
    }

    /// @notice Removes a sale listing.
    function cancelSale(uint256 tokenId) external {
        _checkOwnerOrApproved(tokenId);
        delete _sales[tokenId][_registry.transferCountOf(tokenId)];
        emit SaleCancelled(tokenId);
    }

    /// @notice Buys a listed asset; pays the royalty, the protocol fee and the seller, and transfers the NFT.
    /// @param maxPrice Guards against a price raised while the transaction was pending.
    function buy(uint256 tokenId, uint256 maxPrice, Permit calldata permit) external nonReentrant {
        uint64 period = _registry.transferCountOf(tokenId);
        // Within one ownership period the owner cannot change, so a listing found here is the current owner's.
        SaleListing memory listing = _sales[tokenId][period];
        if (listing.seller == address(0)) revert NotForSale(tokenId);
        if (listing.price > maxPrice) revert PriceAboveLimit(listing.price, maxPrice);
        delete _sales[tokenId][period];

        (address royaltyReceiver, uint256 royalty) = _registry.royaltyInfo(tokenId, listing.price);
        uint256 fee = _fee(listing.price);
        _pull(msg.sender, listing.price, permit);
        // royalty ≤ 25 % and fee ≤ 10 % of the price (both capped), so the seller's part cannot underflow.
        _push(royaltyReceiver, royalty);
        _push(_treasury, fee);
        _push(listing.seller, listing.price - royalty - fee);
        _registry.safeTransferFrom(listing.seller, msg.sender, tokenId);
        emit Sold(tokenId, listing.seller, msg.sender, listing.price, royalty, fee);
    }

    /// @notice The live sale listing of an asset (seller zero when not listed by its current owner).
    function saleOf(uint256 tokenId) external view returns (SaleListing memory) {
        return _sales[tokenId][_registry.transferCountOf(tokenId)];
    }

    // ------------------------------------------------------------------------------------------- usage rights

    /// @notice Buys `uses` uses of an asset at its current price per use.
    function buyUses(uint256 tokenId, uint256 uses, uint256 maxTotal, Permit calldata permit) external nonReentrant {
        if (uses == 0) revert ZeroQuantity();
        (,, uint96 pricePerUse,) = _registry.payeeOf(tokenId);
        uint256 total = uint256(pricePerUse) * uses;
        if (total > maxTotal) revert PriceAboveLimit(total, maxTotal);
        _usesLeft[tokenId][msg.sender] += uses;
        emit UsesBought(tokenId, msg.sender, uses, total);
        _collectUsage(tokenId, total, permit);
    }

    /// @notice Offers non-exclusive, time-limited access to an asset.
    function setAccessTerms(uint256 tokenId, uint96 pricePerDay, uint32 maxDays) external {
        address owner = _checkOwnerOrApproved(tokenId);
        _accessTerms[tokenId] = TimeTerms(pricePerDay, maxDays, owner);
        emit AccessTermsSet(tokenId, pricePerDay, maxDays);
    }

    /// @notice Buys (or extends) access to an asset for `numDays` days.
    function buyAccess(uint256 tokenId, uint32 numDays, uint256 maxTotal, Permit calldata permit) external nonReentrant {
        uint256 total = _priceTerm(_accessTerms[tokenId], tokenId, numDays, maxTotal);
        uint64 start = _accessUntil[tokenId][msg.sender] > block.timestamp ? _accessUntil[tokenId][msg.sender] : uint64(block.timestamp);
        uint64 until = start + uint64(numDays) * 1 days;
        _accessUntil[tokenId][msg.sender] = until;
        emit AccessBought(tokenId, msg.sender, until, total);
        _collectUsage(tokenId, total, permit);
    }

    /// @notice Offers exclusive rentals (the ERC-4907 user role). Plaza must be approved for the NFT.
    function setRentalTerms(uint256 tokenId, uint96 pricePerDay, uint32 maxDays) external {
        address owner = _checkOwnerOrApproved(tokenId);
        _rentalTerms[tokenId] = TimeTerms(pricePerDay, maxDays, owner);
        emit RentalTermsSet(tokenId, pricePerDay, maxDays);
    }

    /// @notice Rents an asset for `numDays` days: the caller becomes its ERC-4907 user until then.
    function rent(uint256 tokenId, uint32 numDays, uint256 maxTotal, Permit calldata permit) external nonReentrant {
        uint256 total = _priceTerm(_rentalTerms[tokenId], tokenId, numDays, maxTotal);
        address current = _registry.userOf(tokenId);
        if (current != address(0)) revert AlreadyRented(tokenId, current);
        uint64 until = uint64(block.timestamp) + uint64(numDays) * 1 days;
        _registry.setUser(tokenId, msg.sender, until);
        emit Rented(tokenId, msg.sender, until, total);
        _collectUsage(tokenId, total, permit);
    }

    /// @notice Records `uses` uses of an asset by `user`. Called by whoever serves the asset: its owner, an approved
    /// operator, or its current renter.
    function consumeUses(uint256 tokenId, address user, uint256 uses) external {
        address owner = _registry.ownerOf(tokenId);
        bool server = msg.sender == owner || _registry.isApprovedForAll(owner, msg.sender)
            || _registry.getApproved(tokenId) == msg.sender || _registry.userOf(tokenId) == msg.sender;
        if (!server) revert NotAssetServer(tokenId, msg.sender);
        uint256 left = _usesLeft[tokenId][user];
        if (left < uses) revert InsufficientUses(tokenId, user, left, uses);
        unchecked {
            _usesLeft[tokenId][user] = left - uses; // left >= uses checked above
        }
        emit UsesConsumed(tokenId, user, uses);
    }

    /// @notice Whether `account` may use the asset now: owner, renter, uses left, or an open access window.
    function hasAccess(uint256 tokenId, address account) external view returns (bool) {
        return _registry.ownerOf(tokenId) == account || _registry.userOf(tokenId) == account
            || _usesLeft[tokenId][account] > 0 || _accessUntil[tokenId][account] >= block.timestamp;
    }

    /// @notice Uses of an asset `user` has paid for and not consumed.
    function usesLeft(uint256 tokenId, address user) external view returns (uint256) {
        return _usesLeft[tokenId][user];
    }

    /// @notice End of `user`'s access window for an asset (unix seconds; 0 when none).
    function accessUntil(uint256 tokenId, address user) external view returns (uint64) {
        return _accessUntil[tokenId][user];
    }

    /// @notice Current access and rental terms of an asset.
    function termsOf(uint256 tokenId) external view returns (TimeTerms memory access, TimeTerms memory rental) {
        return (_accessTerms[tokenId], _rentalTerms[tokenId]);
    }

    // --------------------------------------------------------------------------------------------- governance

    /// @notice Sets the protocol fee (at most MAX_FEE_BPS). Admin only.
    function setFee(uint16 feeBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (feeBps > MAX_FEE_BPS) revert FeeTooHigh(feeBps);
        _feeBps = feeBps;
        emit FeeChanged(feeBps);
    }

    /// @notice Sets the treasury that receives protocol fees. Admin only.
    function setTreasury(address treasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury == address(0)) revert ZeroAddress();
        _treasury = treasury;
        emit TreasuryChanged(treasury);
    }

    /// @notice Protocol fee in basis points and the treasury.
    function feeInfo() external view returns (uint16 feeBps, address treasury) {
        return (_feeBps, _treasury);
    }

    // ------------------------------------------------------------------------------------------------ private

    function _collectUsage(uint256 tokenId, uint256 total, Permit calldata permit) private {
        uint256 fee = _fee(total);
        _pull(msg.sender, total, permit);
        _push(_treasury, fee);
        AssetFees.payUsageFee(_aic, _registry, _payroll, tokenId, total - fee);
    }

    function _priceTerm(TimeTerms memory terms, uint256 tokenId, uint32 numDays, uint256 maxTotal)
        private
        view
        returns (uint256 total)
    {
        if (terms.maxDays == 0 || terms.offeredBy != _registry.ownerOf(tokenId)) revert TermsNotOffered(tokenId);
        if (numDays == 0) revert ZeroQuantity();
        if (numDays > terms.maxDays) revert TermTooLong(numDays, terms.maxDays);
        total = uint256(terms.pricePerDay) * numDays;
        if (total > maxTotal) revert PriceAboveLimit(total, maxTotal);
    }

    function _fee(uint256 amount) private view returns (uint256) {
        return (amount * _feeBps) / 10_000;
    }

    function _checkOwnerOrApproved(uint256 tokenId) private view returns (address owner) {
        owner = _registry.ownerOf(tokenId);
        bool ok = msg.sender == owner || _registry.isApprovedForAll(owner, msg.sender)
            || _registry.getApproved(tokenId) == msg.sender;
        if (!ok) revert NotAssetOwnerOrApproved(tokenId, msg.sender);
    }
}
