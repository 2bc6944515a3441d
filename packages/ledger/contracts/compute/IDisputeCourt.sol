// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice What ComputeMarket needs of its dispute court (DisputeCourt.sol): a case opened when a job becomes
/// Disputed, and whether the ARBITER_ROLE fallback may rule it (only while no committee can be drawn).
interface IDisputeCourt {
    function open(uint256 jobId, address challenger) external;

    function fallbackOpen(uint256 jobId) external view returns (bool);
}
