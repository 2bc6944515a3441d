// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {AssetKind} from "../assets/AssetTypes.sol";
import {Payroll} from "../payroll/Payroll.sol";
import {VerifierStakes} from "./VerifierStakes.sol";
import {IDisputeCourt} from "./IDisputeCourt.sol";
import {JobRecord, JobState} from "./JobTypes.sol";

/**
 * @title ComputeMarketBase
 * @notice Storage, events, errors and the rules both halves of the market share: ComputeMarket (the happy path and
 * the views) and ComputeMarketExceptions (expiry, refunds, preemption, redraws, disputes), which ComputeMarket runs by
 * DELEGATECALL so the two act on one storage. Both inherit this contract and declare no state of their own, so their
 * storage layouts are the same by construction. The split keeps each runtime well under the 24,576-byte limit.
 */
abstract contract ComputeMarketBase is VerifierStakes, ReentrancyGuardTransient {
    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    /// @notice Highest protocol fee governance may set (10 %).
    uint16 public constant MAX_PROTOCOL_FEE_BPS = 1_000;

    struct Params {
        uint16 protocolFeeBps; // charged on provider payments, on top
        uint32 challengeWindowSec; // time to challenge a passed result before it settles
        uint16 slashBps; // share of a cheater's stake slashed
        uint16 slashToVerifierBps; // share of the slashed stake paid to the verifier that proved it (rest: requester)
        uint32 verifyWindowSec; // time the drawn verifier has for its verdict before anyone may draw another
        uint32 assignWindowSec; // time a shortlist stands for an unplaced job before anyone may draw another
        uint8 shortlistSize; // providers on a job's seeded shortlist, any of whom may be proposed
    }

    /// @dev The stored Params, with the job counter in the same slot: creation reads the protocol fee and the assign
    /// window anyway, so counting the job costs no extra cold read.
    struct MarketConfig {
        uint16 protocolFeeBps;
        uint32 challengeWindowSec;
        uint16 slashBps;
        uint16 slashToVerifierBps;
        uint32 verifyWindowSec;
        uint32 assignWindowSec;
        uint8 shortlistSize;
        uint64 jobCount; // jobs created (ids start at 1)
    }

    AssetRegistry internal immutable _registry;
    Payroll internal immutable _payroll;
    address internal _treasury;
    MarketConfig internal _params;
    mapping(uint256 jobId => JobRecord) internal _jobs;
    IDisputeCourt internal _court;
    /// @dev Usage fees accrued to each asset by settled jobs, not yet claimed (ComputeMarket.claimAssetFees).
    mapping(uint256 assetId => uint256) internal _assetFees;

    event JobCreated(
        uint256 indexed jobId, address indexed requester, uint32 datasetId, uint32 modelId, bytes32 specHash, uint96 escrow
    );
    event JobEscrowed(uint256 indexed jobId, uint96 amount);
    event JobAssigned(uint256 indexed jobId, address indexed provider, uint96 price, uint256 seed);
    event JobStarted(uint256 indexed jobId, address indexed provider);
    event ResultCommitted(uint256 indexed jobId, address indexed provider, bytes32 checkpointRoot, string resultCid);
    event VerifierRedrawn(uint256 indexed jobId, address indexed silentVerifier);
    event AssignmentRedrawn(uint256 indexed jobId);
    event VerdictSubmitted(uint256 indexed jobId, address indexed verifier, bool valid);
    event JobDisputed(uint256 indexed jobId, address indexed challenger);
    event DisputeResolved(uint256 indexed jobId, bool providerCheated, address indexed rightVerifier);
    event ProviderSlashed(uint256 indexed jobId, address indexed provider, uint96 amount);
    event JobSettled(
        uint256 indexed jobId,
        uint96 providerPaid,
        uint96 protocolFee,
        uint96 datasetFee,
        uint96 modelFee,
        uint96 verifierFee,
        uint96 refund
    );
    event JobPreempted(uint256 indexed jobId, address indexed provider, uint16 verifiedCheckpoints, uint96 paid);
    event JobReassigned(uint256 indexed jobId, address indexed provider, uint96 price, uint256 seed, uint16 resumeFrom);
    event JobExpired(uint256 indexed jobId);
    event JobRefunded(uint256 indexed jobId, address indexed requester, uint96 amount);
    event ParamsChanged(Params params);
    event TreasuryChanged(address treasury);
    event CourtSet(address court);
    event AssetFeesClaimed(uint256 indexed assetId, address indexed owner, uint256 amount);
    event ProtocolFeesSwept(address indexed treasury, uint256 amount);

    error IllegalTransition(uint256 jobId, JobState state);
    error JobNotFound(uint256 jobId);
    error NotRequester(uint256 jobId, address caller);
    error NotAssignedProvider(uint256 jobId, address caller);
    error NotDesignatedVerifier(uint256 jobId, address caller, address designated);
    error InvalidJobRequest(string reason);
    error AssetKindMismatch(uint256 assetId, AssetKind kind);
    error ProviderNotEligible(uint256 jobId, address provider);
    error ProviderNotDrawn(uint256 jobId, address provider);
    error AssignWindowOpen(uint256 jobId, uint32 redrawAfter);
    error DeadlinePassed(uint256 jobId, uint32 deadline);
    error DeadlineNotPassed(uint256 jobId, uint32 deadline);
    error SeedNotReady(uint256 jobId, uint256 seedBlock);
    error VerifyWindowOpen(uint256 jobId, uint32 verifyBy);
    error ChallengeWindowOpen(uint256 jobId, uint32 challengeEnds);
    error ChallengeWindowClosed(uint256 jobId, uint32 challengeEnds);
    error InvalidCheckpoint(uint256 jobId, uint16 verifiedCheckpoints);
    error InvalidParams();
    error ZeroAddress();
    error CourtSeated(uint256 jobId);
    error NotCourt(address caller);
    error NothingToClaim(uint256 assetId);
    error NothingToSweep();

    constructor(IERC20 aic, AssetRegistry registry, Payroll payroll) PermitPayments(aic) {
        _registry = registry;
        _payroll = payroll;
    }

    /// @dev Shared by assign and reassign: checks the proposal is on the shortlist, records the provider, returns the
    /// seed. (The escrow covers the price by construction: it is derived from what the job owes, see JobRecord.)
    function _assign(uint256 jobId, JobRecord storage j, address provider, address excluded)
        internal
        returns (uint256 seed)
    {
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        seed = _seed(jobId, j.seedBlock);
        ProviderRecord storage p = _providers[provider];
        uint8 minHwClass = j.minHwClass;
        if (!_isEligible(p, minHwClass)) revert ProviderNotEligible(jobId, provider);
        MarketConfig storage params_ = _params;
        (, bool drawn) = _shortlist(seed, minHwClass, excluded, params_.shortlistSize, provider);
        if (!drawn) revert ProviderNotDrawn(jobId, provider);
        p.activeJobs += 1;
        // Until the commitment the challengeEnds slot holds the start-by time (read by preemptJob).
        (j.providerId, j.challengeEnds) = (p.id, uint32(block.timestamp) + params_.assignWindowSec);
    }

    /// @dev A fresh shortlist: seeded by the next block's hash, standing for the assign window (while unplaced, the
    /// challengeEnds slot holds the window's end, as it holds the verify window's while Committed).
    function _openAssignWindow(JobRecord storage j) internal {
        (j.seedBlock, j.challengeEnds) = (uint32(block.number), uint32(block.timestamp) + _params.assignWindowSec);
    }

    /// @dev → Disputed, and the court opens the case (its committee is drawn from the next block's hash).
    function _dispute(uint256 jobId, JobRecord storage j) internal {
        j.state = JobState.Disputed;
        emit JobDisputed(jobId, msg.sender);
        if (address(_court) != address(0)) _court.open(jobId, msg.sender);
    }

    /// @dev What a funded job still owes, and so holds: the current price, the protocol fee on it, the dataset, model
    /// and verifier fees. Preemption lowers the price and pays out exactly what this drops by.
    function _obligations(JobRecord storage j) internal view returns (uint96) {
        uint96 price = j.providerPrice;
        return price + _fee(price, j.protocolFeeBps) + j.datasetFee + j.modelFee + j.verifierFee;
    }

    /// @dev The escrow a job holds (or, while Created, needs): nothing once settled, slashed, refunded, or expired
    /// before it was funded (a funded job has a seed block).
    function _heldEscrow(JobRecord storage j) internal view returns (uint96) {
        JobState s = j.state;
        if (s == JobState.Settled || s == JobState.Slashed || s == JobState.Refunded) return 0;
        if (s == JobState.Expired && j.seedBlock == 0) return 0;
        return _obligations(j);
    }

    function _seed(uint256 jobId, uint32 fromBlock) internal view returns (uint256) {
        uint256 target = uint256(fromBlock) + 1;
        if (block.number <= target) revert SeedNotReady(jobId, target);
        bytes32 h = blockhash(target);
        // Older than 256 blocks: use the newest available hash instead; the job sat idle that long, so nobody could
        // have steered it (documented in docs/ARCHITECTURE.md).
        if (h == bytes32(0)) h = blockhash(block.number - 1);
        return uint256(keccak256(abi.encode(h, jobId)));
    }

    function _designatedVerifier(uint256 jobId, uint32 commitBlock_) internal view returns (address) {
        return _drawVerifier(_seed(jobId, commitBlock_));
    }

    function _fee(uint96 amount, uint16 bps) internal pure returns (uint96) {
        return uint96((uint256(amount) * bps) / 10_000);
    }

    function _job(uint256 jobId) internal view returns (JobRecord storage j) {
        j = _jobs[jobId];
        if (j.state == JobState.None) revert JobNotFound(jobId);
    }
}
