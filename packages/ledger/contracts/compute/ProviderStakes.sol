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
    /// @notice A provider as {providerOf} returns it.
    struct Provider {
        uint96 stake;
        uint8 hwClass;
        uint32 activeJobs;
        bool registered;
        uint32 listIndex; // position in _providerList (the draw's order)
    }

    /// @dev The stored record: the view plus the provider's id, in the same slot.
    struct ProviderRecord {
        uint96 stake;
        uint8 hwClass;
        uint32 activeJobs;
        bool registered;
        uint32 listIndex;
        uint24 id; // assigned at registration, never reused: jobs store it instead of the address
    }

    mapping(address provider => ProviderRecord) internal _providers;
    /// @dev Every id ever assigned → its provider (kept after deregistration, so old jobs still name their provider).
    mapping(uint24 id => address) internal _providerById;
    uint24 private _lastProviderId;
    /// @dev Every registered provider, in registration order (swap-and-pop on deregistration): the list the
    /// assignment's seeded shortlist walks.
    address[] internal _providerList;
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
        ProviderRecord storage p = _providers[msg.sender];
        if (p.registered) revert ProviderAlreadyRegistered(msg.sender);
        uint96 minimum = _minStake[hwClass];
        if (stake < minimum || stake == 0) revert StakeBelowMinimum(stake, minimum);
        p.registered = true;
        p.hwClass = hwClass;
        p.stake = stake;
        p.listIndex = uint32(_providerList.length);
        uint24 id = ++_lastProviderId;
        p.id = id;
        _providerById[id] = msg.sender;
        _providerList.push(msg.sender);
        _totalStaked += stake;
        emit ProviderRegistered(msg.sender, hwClass, stake);
        _pull(msg.sender, stake, permit);
    }

    /// @notice Adds `amount` AIC to the caller's stake.
    function addStake(uint96 amount, Permit calldata permit) external {
        ProviderRecord storage p = _requireProvider(msg.sender);
        p.stake += amount;
        _totalStaked += amount;
        emit StakeAdded(msg.sender, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Withdraws `amount` of stake. Either what remains stays at or above the class minimum, or everything is
    /// withdrawn and the provider is deregistered. Not allowed with active jobs.
    function withdrawStake(uint96 amount) external {
        ProviderRecord storage p = _requireProvider(msg.sender);
        if (p.activeJobs != 0) revert ProviderHasActiveJobs(msg.sender, p.activeJobs);
        uint96 remaining = p.stake - amount; // reverts on underflow (Panic 0x11)
        uint96 minimum = _minStake[p.hwClass];
        if (remaining != 0 && remaining < minimum) revert StakeBelowMinimum(remaining, minimum);
        p.stake = remaining;
        _totalStaked -= amount;
        emit StakeWithdrawn(msg.sender, amount);
        if (remaining == 0) {
            _unlist(p.listIndex);
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
        ProviderRecord storage p = _providers[provider];
        return Provider(p.stake, p.hwClass, p.activeJobs, p.registered, p.listIndex);
    }

    /// @notice Number of registered providers (the length of the list assignments draw from).
    function providerCount() external view returns (uint256) {
        return _providerList.length;
    }

    /// @notice Minimum stake of a hardware class.
    function minStakeOf(uint8 hwClass) external view returns (uint96) {
        return _minStake[hwClass];
    }

    /// @notice Sum of all providers' stakes.
    function totalStaked() external view returns (uint256) {
        return _totalStaked;
    }

    function _requireProvider(address provider) internal view returns (ProviderRecord storage p) {
        p = _providers[provider];
        if (!p.registered) revert ProviderNotRegistered(provider);
    }

    /// @dev Removes the entry at `index` by moving the last one into its place.
    function _unlist(uint32 index) private {
        address last = _providerList[_providerList.length - 1];
        _providerList[index] = last;
        _providers[last].listIndex = index;
        _providerList.pop();
    }

    function _isEligible(ProviderRecord storage p, uint8 minHwClass) internal view returns (bool) {
        return p.registered && p.hwClass >= minHwClass && p.stake >= _minStake[p.hwClass];
    }
}
