// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IDisputeCourt} from "./IDisputeCourt.sol";
import {ComputeMarketBase} from "./ComputeMarketBase.sol";
import {Job, JobRecord, JobState} from "./JobTypes.sol";

/**
 * @title ComputeMarketViews
 * @notice ComputeMarket's views (the job as off-chain code reads it, the seeded shortlist and verifier, parameters)
 * and admin setters; a base of ComputeMarket, in its own file to keep each source small.
 */
abstract contract ComputeMarketViews is ComputeMarketBase {
    // ------------------------------------------------------------------------------------------------- views

    /// @notice A job's record. Reverts with JobNotFound for an unknown id.
    function jobOf(uint256 jobId) external view returns (Job memory) {
        JobRecord storage j = _job(jobId);
        Job memory v;
        (v.requester, v.escrow, v.datasetFee, v.modelFee) = (j.requester, _heldEscrow(j), j.datasetFee, j.modelFee);
        (v.datasetId, v.modelId, v.verifierFee, v.providerPrice) = (j.datasetId, j.modelId, j.verifierFee, j.providerPrice);
        (v.deadline, v.seedBlock, v.provider, v.state) = (j.deadline, j.seedBlock, _providerById[j.providerId], j.state);
        (v.minHwClass, v.protocolFeeBps, v.challengeEnds) = (j.minHwClass, j.protocolFeeBps, j.challengeEnds);
        (v.checkpointCount, v.resumeFrom) = (j.checkpointCount, j.resumeFrom);
        (v.verifier, v.verdictValid) = (_verifierById[j.verifierId], j.verdictValid);
        return v;
    }

    /// @notice Number of jobs created (ids start at 1).
    function jobCount() external view returns (uint256) {
        return _params.jobCount;
    }

    /// @notice The seed of the job's next (or current) assignment; reverts until the seed block's successor exists.
    function assignmentSeed(uint256 jobId) external view returns (uint256) {
        return _seed(jobId, _job(jobId).seedBlock);
    }

    /// @notice The providers an Escrowed or Preempted job may be assigned to now, in draw order (reverts until the
    /// seed block's successor exists).
    function assignmentShortlist(uint256 jobId) external view returns (address[] memory shortlist) {
        JobRecord storage j = _job(jobId);
        address excluded = j.state == JobState.Preempted ? _providerById[j.providerId] : address(0);
        (shortlist,) = _shortlist(_seed(jobId, j.seedBlock), j.minHwClass, excluded, _params.shortlistSize, address(0));
    }

    /// @notice The verifier drawn for a Committed job (from the hash of the block after the commitment).
    function designatedVerifier(uint256 jobId) external view returns (address) {
        return _designatedVerifier(jobId, _job(jobId).seedBlock);
    }

    /// @notice Usage fees accrued to `assetId` by settled jobs and not yet claimed ({ComputeMarket.claimAssetFees}).
    function assetFees(uint256 assetId) external view returns (uint256) {
        return _assetFees[assetId];
    }

    /// @notice Protocol fees accrued to the treasury and not yet swept ({ComputeMarket.sweepProtocolFees}).
    function protocolFeesAccrued() external view returns (uint256) {
        return _houseBalance();
    }

    /// @notice Market parameters and treasury.
    function params() external view returns (Params memory, address treasury) {
        MarketConfig storage c = _params;
        Params memory p = Params(
            c.protocolFeeBps,
            c.challengeWindowSec,
            c.slashBps,
            c.slashToVerifierBps,
            c.verifyWindowSec,
            c.assignWindowSec,
            c.shortlistSize
        );
        return (p, _treasury);
    }

    /// @notice Sets market parameters. Admin only; jobs keep the protocol fee they were created with.
    function setParams(Params calldata newParams) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(newParams);
    }

    /// @notice Sets the dispute court, once (admin; the court is deployed after the market it hears).
    function setCourt(IDisputeCourt court_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(_court) != address(0)) revert CourtSeated(0);
        _court = court_;
        emit CourtSet(address(court_));
    }

    /// @notice The dispute court (zero until set).
    function court() external view returns (address) {
        return address(_court);
    }

    /// @notice Sets the treasury. Admin only.
    function setTreasury(address treasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury == address(0)) revert ZeroAddress();
        _treasury = treasury;
        emit TreasuryChanged(treasury);
    }

    function _setParams(Params memory p) internal {
        if (
            p.protocolFeeBps > MAX_PROTOCOL_FEE_BPS || p.slashBps > 10_000 || p.slashToVerifierBps > 10_000
                || p.verifyWindowSec == 0 || p.shortlistSize == 0
        ) {
            revert InvalidParams();
        }
        _params = MarketConfig(
            p.protocolFeeBps,
            p.challengeWindowSec,
            p.slashBps,
            p.slashToVerifierBps,
            p.verifyWindowSec,
            p.assignWindowSec,
            p.shortlistSize,
            _params.jobCount
        );
        emit ParamsChanged(p);
    }
}
