// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PermitPayments} from "./PermitPayments.sol";

/**
 * @title PullPayments
 * @notice AIC owed to accounts, withdrawn by them (OpenZeppelin's pull-payment guideline). Crediting costs one storage
 * write where a transfer costs two plus a call, and an account paid by many jobs withdraws once.
 * Invariant: this contract's AIC balance ≥ {totalOwed} (plus whatever else the inheriting contract holds).
 */
abstract contract PullPayments is PermitPayments {
    mapping(address account => uint256) private _owed;
    uint256 private _totalOwed;

    /// @notice Emitted when an account withdrew what it was owed.
    event Withdrawn(address indexed account, uint256 amount);

    error NothingToWithdraw(address account);

    /// @notice Withdraws everything owed to the caller.
    function withdraw() external returns (uint256 amount) {
        amount = _owed[msg.sender];
        if (amount == 0) revert NothingToWithdraw(msg.sender);
        _owed[msg.sender] = 0;
        _totalOwed -= amount;
        emit Withdrawn(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice AIC owed to `account`.
    function owed(address account) external view returns (uint256) {
        return _owed[account];
    }

    /// @notice AIC owed to all accounts together (held by this contract until withdrawn).
    function totalOwed() external view returns (uint256) {
        return _totalOwed;
    }

    function _credit(address account, uint256 amount) internal {
        if (amount == 0) return;
        _owed[account] += amount;
        _totalOwed += amount;
        // No event per credit: the job event that caused it (JobSettled, JobPreempted, ProviderSlashed…) names every
        // amount, and each credit would cost ~1,900 gas more (bench/gas.ts).
    }
}
