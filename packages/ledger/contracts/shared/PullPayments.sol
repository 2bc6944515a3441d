// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {PermitPayments} from "./PermitPayments.sol";

/**
 * @title PullPayments
 * @notice AIC owed to accounts, withdrawn by them (OpenZeppelin's pull-payment guideline). Crediting costs one storage
 * write where a transfer costs two plus a call, and an account paid by many jobs withdraws once.
 * Invariant: this contract's AIC balance ≥ {totalOwed} (plus whatever else the inheriting contract holds).
 */
abstract contract PullPayments is PermitPayments {
    mapping(address account => uint256) private _owed;
    // One slot: every credit updates the total, so a credit held for no account (see {_hold}) in the same slot costs a
    // warm write instead of a cold one. 128 bits hold any AIC amount (the whole supply is below 2^94 wei).
    uint128 private _totalOwed;
    uint128 private _houseOwed;

    /// @notice Emitted when an account withdrew what it was owed.
    event Withdrawn(address indexed account, uint256 amount);

    error NothingToWithdraw(address account);

    /// @notice Withdraws everything owed to the caller.
    function withdraw() external returns (uint256 amount) {
        amount = _owed[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _owed[msg.sender] = 0;
        _release(amount);
        emit Withdrawn(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice AIC owed to `account`.
    function owed(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @notice AIC owed to all accounts together (held by this contract until withdrawn), including what is held for
    /// the house ({_creditHouse}) and by the inheriting contract for others ({_hold}).
    function totalOwed() external view returns (uint256) {
        return _totalOwed;
    }

    function _credit(address account, uint256 amount) internal {
        if (amount == 0) return;
        _owed[account] += amount;
        _hold(amount);
        // No event per credit: the job event that caused it (JobSettled, JobPreempted, ProviderSlashed…) names every
        // amount, and each credit would cost ~1,900 gas more (bench/gas.ts).
    }

    /// @dev Counts `amount` as owed without naming the account: the inheriting contract keeps who gets it (e.g. fees
    /// accrued per asset) and pays it out with {_release}.
    function _hold(uint256 amount) internal {
        _totalOwed += SafeCast.toUint128(amount);
    }

    /// @dev Stops counting `amount` as owed (it is being paid out); reverts on more than is owed.
    function _release(uint256 amount) internal {
        _totalOwed -= SafeCast.toUint128(amount);
    }

    /// @dev Credits the house (the inheriting contract's treasury) in the total's slot: no cold account slot per
    /// credit. {_takeHouse} empties it.
    function _creditHouse(uint256 amount) internal {
        if (amount == 0) return;
        _houseOwed += SafeCast.toUint128(amount);
        _hold(amount);
    }

    /// @dev What the house is owed, now released and zeroed for paying it out.
    function _takeHouse() internal returns (uint256 amount) {
        amount = _houseOwed;
        _houseOwed = 0;
        _release(amount);
    }

    /// @dev What the house is owed.
    function _houseBalance() internal view returns (uint256) {
        return _houseOwed;
    }
}
