// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {PullPayments} from "../shared/PullPayments.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {LineageLink} from "../assets/AssetTypes.sol";

/**
 * @title Payroll (Coin Payroll)
 * @notice Pull-payment splitter for asset income. Income paid for an asset is split along its lineage: each parent
 * receives its share in basis points, recursively, and the rest goes to the asset's current owner. Owners withdraw
 * what they are owed whenever they like.
 *
 * Bounds: recursion stops at MAX_DEPTH levels, and at most MAX_PAYEES assets are visited per payment; a share that
 * would exceed either bound stays with the asset that could not pass it on, so nothing is ever lost or stuck.
 */
contract Payroll is PullPayments, ReentrancyGuardTransient {
    /// @notice Deepest lineage level that still receives a share (the paid asset is level 0).
    uint256 public constant MAX_DEPTH = 4;
    /// @notice Most assets credited by one payment.
    uint256 public constant MAX_PAYEES = 32;

    AssetRegistry private immutable _registry;

    /// @notice Emitted when income for an asset was received.
    event IncomePaid(uint256 indexed assetId, address indexed payer, uint256 amount);
    /// @notice Emitted for each owner credited by a payment.
    event IncomeCredited(uint256 indexed assetId, address indexed beneficiary, uint256 amount);

    constructor(IERC20 aic_, AssetRegistry registry_) PermitPayments(aic_) {
        _registry = registry_;
    }

    /// @notice Pays `amount` AIC of income for `assetId` and splits it along its lineage.
    /// @param permit An optional EIP-2612 permit for this contract (deadline 0 = none; then an allowance is needed).
    function pay(uint256 assetId, uint256 amount, Permit calldata permit) external nonReentrant {
        _pull(msg.sender, amount, permit);
        emit IncomePaid(assetId, msg.sender, amount);
        _split(assetId, amount, 0, MAX_PAYEES);
    }

    /// @notice The registry whose lineage is followed.
    function registry() external view returns (AssetRegistry) {
        return _registry;
    }

    /// @dev Credits `amount` for `assetId`: parents first (recursively), the rest to the owner. Returns the visit
    /// budget left. Parent ids are always lower than the child id (AssetRegistry), so the walk always terminates.
    function _split(uint256 assetId, uint256 amount, uint256 depth, uint256 budget) private returns (uint256) {
        budget -= 1; // this asset; callers only recurse while budget > 0
        uint256 passedOn;
        if (depth < MAX_DEPTH) {
            LineageLink[] memory parents = _registry.lineageOf(assetId);
            for (uint256 i = 0; i < parents.length && budget > 0; ++i) {
                uint256 share = (amount * parents[i].shareBps) / 10_000;
                if (share == 0) continue;
                passedOn += share;
                budget = _split(parents[i].parentId, share, depth + 1, budget);
            }
        }
        _creditIncome(assetId, _registry.ownerOf(assetId), amount - passedOn);
        return budget;
    }

    function _creditIncome(uint256 assetId, address beneficiary, uint256 amount) private {
        if (amount == 0) return;
        _credit(beneficiary, amount);
        emit IncomeCredited(assetId, beneficiary, amount);
    }
}
