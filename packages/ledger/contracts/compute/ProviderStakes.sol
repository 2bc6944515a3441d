// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControlEnumerable} from "@openzeppelin/contracts/access/extensions/AccessControlEnumerable.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";

/**
 * @title ProviderStakes
 * @notice GPU Vessel providers register with a declared hardware class and a stake of at least that class's minimum.
 * Stake cannot be withdrawn while the provider has an active job, so it is always there to be slashed.
 */
abstract contract ProviderStakes is PermitPayments, AccessControlEnumerable {
    struct Provider {
        uint96 stake;
        uint8 hwClass;
        uint32 activeJobs;
        bool registered;
    }

    mapping(address provider => Provider) internal _providers;
    mapping(uint8 hwClass => uint96) private _minStake;
    uint256 internal _totalStaked;

    event ProviderRegistered(address indexed provider, uint8 hwClass, uint96 stake);
    event StakeAdded(address indexed provider, uint96 amount);
    event StakeWithdrawn(address indexed provider, uint96 amount);
    event ProviderDeregistered(address indexed provider);
    event MinStakeChanged(uint8 indexed hwClass, uint96 minStake);

    error ProviderAlreadyRegistered(address provider);
    error ProviderNotRegistered(address provider);
    error StakeBelowMinimum(uint96 stake, uint96 minimum);
    error ProviderHasActiveJobs(address provider, uint32 activeJobs);

    /// @notice Registers the caller as a provider of `hwClass`, staking `stake` AIC.
    function registerProvider(uint8 hwClass, uint96 stake, Permit calldata permit) external {
        Provider storage p = _providers[msg.sender];
        if (p.registered) revert ProviderAlreadyRegistered(msg.sender);
        uint96 minimum = _minStake[hwClass];
        if (stake < minimum || stake == 0) revert StakeBelowMinimum(stake, minimum);
        p.registered = true;
        p.hwClass = hwClass;
        p.stake = stake;
        _totalStaked += stake;
        emit ProviderRegistered(msg.sender, hwClass, stake);
        _pull(msg.sender, stake, permit);
    }

    /// @notice Adds `amount` AIC to the caller's stake.
    function addStake(uint96 amount, Permit calldata permit) external {
        Provider storage p = _requireProvider(msg.sender);
        p.stake += amount;
        _totalStaked += amount;
        emit StakeAdded(msg.sender, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Withdraws `amount` of stake. Either what remains stays at or above the class minimum, or everything is
    /// withdrawn and the provider is deregistered. Not allowed with active jobs.
    function withdrawStake(uint96 amount) external {
        Provider storage p = _requireProvider(msg.sender);
        if (p.activeJobs != 0) revert ProviderHasActiveJobs(msg.sender, p.activeJobs);
        uint96 remaining = p.stake - amount; // reverts on underflow (Panic 0x11)
        uint96 minimum = _minStake[p.hwClass];
        if (remaining != 0 && remaining < minimum) revert StakeBelowMinimum(remaining, minimum);
        p.stake = remaining;
        _totalStaked -= amount;
        emit StakeWithdrawn(msg.sender, amount);
        if (remaining == 0) {
            delete _providers[msg.sender];
            emit ProviderDeregistered(msg.sender);
        }
        _push(msg.sender, amount);
    }

    /// @notice Sets the minimum stake of a hardware class. Admin only.
    function setMinStake(uint8 hwClass, uint96 minStake) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _minStake[hwClass] = minStake;
        emit MinStakeChanged(hwClass, minStake);
    }

    /// @notice A provider's record.
    function providerOf(address provider) external view returns (Provider memory) {
        return _providers[provider];
    }

    /// @notice Minimum stake of a hardware class.
    function minStakeOf(uint8 hwClass) external view returns (uint96) {
        return _minStake[hwClass];
    }

    /// @notice Sum of all providers' stakes.
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    function _requireProvider(address provider) internal view returns (Provider storage p) {
        p = _providers[provider];
        if (!p.registered) revert ProviderNotRegistered(provider);
    }

    function _isEligible(Provider storage p, uint8 minHwClass) internal view returns (bool) {
        return p.registered && p.hwClass >= minHwClass && p.stake >= _minStake[p.hwClass];
    }
}
