// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ProviderStakes} from "./ProviderStakes.sol";

/**
 * @title AssignmentDraw
 * @notice The checkable assignment rule (DESIGN.md §6, issue 15): a job's provider must be on its seeded shortlist —
 * walking the list of registered providers cyclically from `seed % count`, the first `size` providers eligible for the
 * job (staked at least their class's minimum, class ≥ the job's, not the provider it was preempted from). The seed is
 * the hash of the block after the escrow, so neither side steers the shortlist; anyone may propose a provider from it
 * (an off-chain allocator ranks the shortlist by price, locality and hardware fit), and a proposal outside it
 * reverts. No key is needed to place a job.
 */
abstract contract AssignmentDraw is ProviderStakes {
    /**
     * @dev The shortlist, in draw order, and whether `stopAt` is on it (the walk stops there: a proposal check reads
     * no more of the list than it needs).
     */
    function _shortlist(uint256 seed, uint8 minHwClass, address excluded, uint256 size, address stopAt)
        internal
        view
        returns (address[] memory out, bool reached)
    {
        uint256 n = _providerList.length;
        out = new address[](size);
        uint256 found;
        if (n != 0) {
            uint256 start = seed % n;
            for (uint256 i; i < n && found < size; ++i) {
                address candidate = _providerList[(start + i) % n];
                if (candidate == excluded || !_isEligible(_providers[candidate], minHwClass)) continue;
                out[found++] = candidate;
                if (candidate == stopAt) {
                    reached = true;
                    break;
                }
            }
        }
        // Trim the array to what was found (memory arrays keep their length in their first word).
        assembly ("memory-safe") {
            mstore(out, found)
        }
    }
}
