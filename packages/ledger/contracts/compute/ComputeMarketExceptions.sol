// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {Payroll} from "../payroll/Payroll.sol";
import {IDisputeCourt} from "./IDisputeCourt.sol";
import {ComputeMarketBase} from "./ComputeMarketBase.sol";
import {JobRecord, JobState} from "./JobTypes.sol";

/**
 * @title ComputeMarketExceptions
 * @notice The market's paths off the happy one: expiry and refunds, preemption and reassignment, redraws of an
 * assignment or a silent verifier, challenges and the dispute's ruling. ComputeMarket deploys this contract in its
 * constructor and runs these functions by DELEGATECALL on its own storage (the same layout: both inherit
 * ComputeMarketBase); ComputeMarket's ABI declares them, so callers see one contract. Called directly, this contract
 * acts on its own empty storage: every job is unknown and no role is held.
 */
contract ComputeMarketExceptions is ComputeMarketBase {
    constructor(IERC20 aic, AssetRegistry registry, Payroll payroll) ComputeMarketBase(aic, registry, payroll) {}

    /// @notice See {ComputeMarket.expireJob}.
    function expireJob(uint256 jobId) external {
        JobRecord storage j = _job(jobId);
        JobState s = j.state;
        bool unassigned = s == JobState.Created || s == JobState.Escrowed;
        bool open = unassigned || s == JobState.Assigned || s == JobState.Running || s == JobState.Preempted
            || s == JobState.Reassigned;
        if (!open) revert IllegalTransition(jobId, s);
        if (block.timestamp <= j.deadline && !(unassigned && msg.sender == j.requester)) {
            revert DeadlineNotPassed(jobId, j.deadline);
        }
        if (s == JobState.Assigned || s == JobState.Running || s == JobState.Reassigned) {
            _providers[_providerById[j.providerId]].activeJobs -= 1;
        }
        j.state = JobState.Expired; // a job expired while Created has no seed block: it holds nothing (_heldEscrow)
        emit JobExpired(jobId);
    }

    /// @notice See {ComputeMarket.refundJob}.
    function refundJob(uint256 jobId) external nonReentrant {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Expired) revert IllegalTransition(jobId, j.state);
        uint96 amount = _heldEscrow(j);
        j.state = JobState.Refunded;
        address requester = j.requester;
        emit JobRefunded(jobId, requester, amount);
        _push(requester, amount);
    }

    /// @notice See {ComputeMarket.redrawAssignment}.
    function redrawAssignment(uint256 jobId) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Escrowed && j.state != JobState.Preempted) revert IllegalTransition(jobId, j.state);
        if (block.timestamp <= j.challengeEnds) revert AssignWindowOpen(jobId, j.challengeEnds);
        _openAssignWindow(j);
        emit AssignmentRedrawn(jobId);
    }

    /// @notice See {ComputeMarket.preemptJob}.
    function preemptJob(uint256 jobId, uint16 verifiedCheckpoints) external nonReentrant {
        JobRecord storage j = _job(jobId);
        JobState s = j.state;
        if (s != JobState.Assigned && s != JobState.Running && s != JobState.Reassigned) {
            revert IllegalTransition(jobId, s);
        }
        uint16 from = j.resumeFrom;
        if (msg.sender != j.requester) {
            bool unstarted = s != JobState.Running && block.timestamp > j.challengeEnds;
            if (!unstarted || verifiedCheckpoints != from) revert NotRequester(jobId, msg.sender);
        }
        uint16 count = j.checkpointCount;
        if (verifiedCheckpoints < from || verifiedCheckpoints >= count) {
            revert InvalidCheckpoint(jobId, verifiedCheckpoints);
        }
        uint96 price = j.providerPrice;
        uint16 bps = j.protocolFeeBps;
        uint96 paid = uint96((uint256(price) * (verifiedCheckpoints - from)) / (count - from));
        // The protocol fee the job no longer owes, so the escrow it holds (derived from what it owes) drops by exactly
        // what is paid out (the fee on the paid part, up to one wei of rounding).
        uint96 fee = _fee(price, bps) - _fee(price - paid, bps);
        j.providerPrice = uint80(price - paid); // what the rest of the checkpoints pay the next provider
        j.resumeFrom = verifiedCheckpoints;
        _openAssignWindow(j);
        j.state = JobState.Preempted;
        address provider = _providerById[j.providerId];
        _providers[provider].activeJobs -= 1;
        emit JobPreempted(jobId, provider, verifiedCheckpoints, paid);
        _credit(provider, paid);
        _creditHouse(fee); // the protocol fee accrues to the treasury, as at settlement
    }

    /// @notice See {ComputeMarket.reassignJob}.
    function reassignJob(uint256 jobId, address provider) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Preempted) revert IllegalTransition(jobId, j.state);
        uint256 seed = _assign(jobId, j, provider, _providerById[j.providerId]);
        j.state = JobState.Reassigned;
        emit JobReassigned(jobId, provider, j.providerPrice, seed, j.resumeFrom);
    }

    /// @notice See {ComputeMarket.redrawVerifier}.
    function redrawVerifier(uint256 jobId) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Committed) revert IllegalTransition(jobId, j.state);
        if (block.timestamp <= j.challengeEnds) revert VerifyWindowOpen(jobId, j.challengeEnds);
        address silent = _designatedVerifier(jobId, j.seedBlock);
        (j.seedBlock, j.challengeEnds) = (uint32(block.number), uint32(block.timestamp) + _params.verifyWindowSec);
        emit VerifierRedrawn(jobId, silent);
        _penalizeSilence(jobId, silent, _treasury);
    }

    /// @notice See {ComputeMarket.challengeResult}.
    function challengeResult(uint256 jobId) external {
        if (!_isStakedVerifier(msg.sender)) revert VerifierNotRegistered(msg.sender);
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Verifying) revert IllegalTransition(jobId, j.state);
        if (block.timestamp >= j.challengeEnds) revert ChallengeWindowClosed(jobId, j.challengeEnds);
        _dispute(jobId, j);
    }

    /// @notice See {ComputeMarket.resolveDispute}.
    function resolveDispute(uint256 jobId, bool providerCheated, address rightVerifier) external nonReentrant {
        IDisputeCourt seated = _court;
        if (msg.sender != address(seated)) {
            _checkRole(ARBITER_ROLE);
            if (address(seated) != address(0) && !seated.fallbackOpen(jobId)) revert CourtSeated(jobId);
        }
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Disputed) revert IllegalTransition(jobId, j.state);
        VerifierRecord storage right = _verifiers[rightVerifier];
        if (!right.registered) revert VerifierNotRegistered(rightVerifier);
        // The verdict the dispute proved wrong (passed a cheat, or flagged an honest result) costs its verifier stake:
        // to the one proven right, or to the provider it falsely accused.
        (address verdictBy, bool wrongVerdict) = (_verifierById[j.verifierId], j.verdictValid == providerCheated);
        j.verifierId = right.id;
        emit DisputeResolved(jobId, providerCheated, rightVerifier);
        address provider = _providerById[j.providerId];
        if (wrongVerdict && verdictBy != rightVerifier) {
            _slashVerifier(jobId, verdictBy, providerCheated ? rightVerifier : provider);
        }
        if (providerCheated) {
            _slash(jobId, j, provider, rightVerifier);
        } else {
            (j.challengeEnds, j.state) = (uint32(block.timestamp), JobState.Verifying);
        }
    }

    /// @notice See {ComputeMarket.penalizeReferees}.
    function penalizeReferees(uint256 jobId, address[] calldata wrong, address[] calldata silent) external {
        if (msg.sender != address(_court)) revert NotCourt(msg.sender);
        for (uint256 i; i < wrong.length; ++i) _slashVerifier(jobId, wrong[i], _treasury);
        for (uint256 i; i < silent.length; ++i) _penalizeSilence(jobId, silent[i], _treasury);
    }

    function _slash(uint256 jobId, JobRecord storage j, address provider, address rightVerifier) private {
        ProviderRecord storage p = _providers[provider];
        uint96 slashed = uint96((uint256(p.stake) * _params.slashBps) / 10_000);
        uint96 toVerifier = uint96((uint256(slashed) * _params.slashToVerifierBps) / 10_000);
        p.stake -= slashed;
        p.activeJobs -= 1;
        _totalStaked -= slashed;
        uint96 verifierFee = j.verifierFee;
        uint96 refund = _obligations(j) - verifierFee;
        j.state = JobState.Slashed;
        address requester = j.requester;
        emit ProviderSlashed(jobId, provider, slashed);
        emit JobRefunded(jobId, requester, refund);
        _credit(rightVerifier, verifierFee + toVerifier);
        _credit(requester, refund + slashed - toVerifier);
    }
}
