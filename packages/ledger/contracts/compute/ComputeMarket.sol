// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {PullPayments} from "../shared/PullPayments.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {AssetKind} from "../assets/AssetTypes.sol";
import {Payroll} from "../payroll/Payroll.sol";
import {ProviderStakes} from "./ProviderStakes.sol";
import {Job, JobRequest, JobState} from "./JobTypes.sol";

/**
 * @title ComputeMarket
 * @notice Escrow and state machine of compute jobs (DESIGN.md §6–7). A requester escrows the provider budget, the
 * dataset's and model's per-use fees, a verifier fee and the protocol fee; the Resource Allocator assigns a staked
 * provider using a seed from the block after the escrow (neither side picks its counterpart); the provider commits
 * the Merkle root of its checkpoint commitments and a result CID; a verifier chosen by the block after the commitment
 * checks it; after a challenge window the escrow is split between provider, dataset owner, model owner, verifier and
 * treasury, and the rest is refunded. Cheating proven in a dispute slashes the provider's stake to the requester and
 * the verifier that proved it. A preempted job pays its provider for verified checkpoints and resumes elsewhere.
 *
 * Payouts of settlement, preemption and slashing are credited (pull payments, {withdraw}); dataset and model fees are
 * credited to the asset's owner at payment time, or paid through Payroll when the asset's income splits upstream.
 *
 * Roles: ALLOCATOR_ROLE assigns, preempts and reassigns; VERIFIER_ROLE members are drawn to verify and may challenge;
 * ARBITER_ROLE posts the outcome of a dispute's referee committee.
 */
contract ComputeMarket is ProviderStakes, PullPayments, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    bytes32 public constant ALLOCATOR_ROLE = keccak256("ALLOCATOR_ROLE");
    bytes32 public constant VERIFIER_ROLE = keccak256("VERIFIER_ROLE");
    bytes32 public constant ARBITER_ROLE = keccak256("ARBITER_ROLE");
    /// @notice Highest protocol fee governance may set (10 %).
    uint16 public constant MAX_PROTOCOL_FEE_BPS = 1_000;

    struct Params {
        uint16 protocolFeeBps; // charged on provider payments, on top
        uint32 challengeWindowSec; // time to challenge a passed result before it settles
        uint16 slashBps; // share of a cheater's stake slashed
        uint16 slashToVerifierBps; // share of the slashed stake paid to the verifier that proved it (rest: requester)
        uint32 verifyWindowSec; // time the drawn verifier has for its verdict before anyone may draw another
    }

    AssetRegistry private immutable _registry;
    Payroll private immutable _payroll;
    address private _treasury;
    Params private _params;
    mapping(uint256 jobId => Job) private _jobs;
    uint256 private _jobCount;

    event JobCreated(
        uint256 indexed jobId, address indexed requester, uint32 datasetId, uint32 modelId, bytes32 specHash, uint96 escrow
    );
    event JobEscrowed(uint256 indexed jobId, uint96 amount);
    event JobAssigned(uint256 indexed jobId, address indexed provider, uint96 price, uint256 seed);
    event JobStarted(uint256 indexed jobId, address indexed provider);
    event ResultCommitted(uint256 indexed jobId, address indexed provider, bytes32 checkpointRoot, string resultCid);
    event VerifierRedrawn(uint256 indexed jobId, address indexed silentVerifier);
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

    error IllegalTransition(uint256 jobId, JobState state);
    error JobNotFound(uint256 jobId);
    error NotRequester(uint256 jobId, address caller);
    error NotAssignedProvider(uint256 jobId, address caller);
    error NotDesignatedVerifier(uint256 jobId, address caller, address designated);
    error InvalidJobRequest(string reason);
    error AssetKindMismatch(uint256 assetId, AssetKind kind);
    error ProviderNotEligible(uint256 jobId, address provider);
    error PriceAboveBudget(uint256 jobId, uint256 obligations, uint256 escrow);
    error DeadlinePassed(uint256 jobId, uint32 deadline);
    error DeadlineNotPassed(uint256 jobId, uint32 deadline);
    error SeedNotReady(uint256 jobId, uint256 seedBlock);
    error VerifyWindowOpen(uint256 jobId, uint32 verifyBy);
    error NoVerifiers();
    error ChallengeWindowOpen(uint256 jobId, uint32 challengeEnds);
    error ChallengeWindowClosed(uint256 jobId, uint32 challengeEnds);
    error InvalidCheckpoint(uint256 jobId, uint16 verifiedCheckpoints);
    error InvalidParams();
    error ZeroAddress();

    constructor(IERC20 aic, AssetRegistry registry, Payroll payroll, address admin, address treasury, Params memory params_)
        PermitPayments(aic)
    {
        if (treasury == address(0) || admin == address(0)) revert ZeroAddress();
        _registry = registry;
        _payroll = payroll;
        _treasury = treasury;
        _setParams(params_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // Usage fees of assets with lineage are paid through Payroll, which pulls them from here.
        aic.forceApprove(address(payroll), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------ requester

    /// @notice Creates a job (state Created) without funding it; fees are fixed now from the registry prices.
    function createJob(JobRequest calldata request) external returns (uint256 jobId) {
        jobId = _create(request);
    }

    /// @notice Funds a Created job with its whole escrow (state Escrowed). Only its requester may fund it.
    function fundJob(uint256 jobId, Permit calldata permit) external nonReentrant {
        _fund(jobId, permit);
    }

    /// @notice Creates and funds a job in one transaction (Created → Escrowed).
    function createAndFundJob(JobRequest calldata request, Permit calldata permit)
        external
        nonReentrant
        returns (uint256 jobId)
    {
        jobId = _create(request);
        _fund(jobId, permit);
    }

    /// @notice The escrow a request needs now: provider budget + protocol fee on it + dataset, model and verifier fees.
    function quote(JobRequest calldata request)
        public
        view
        returns (uint96 total, uint96 protocolFee, uint96 datasetFee, uint96 modelFee)
    {
        datasetFee = _assetFee(request.datasetId, AssetKind.Data, AssetKind.Dataset);
        modelFee = _assetFee(request.modelId, AssetKind.Model, AssetKind.TrainedAI);
        protocolFee = _fee(request.providerBudget, _params.protocolFeeBps);
        total = request.providerBudget + protocolFee + datasetFee + modelFee + request.verifierFee;
    }

    /// @notice Expires a job: its requester may do so before assignment, anyone once the deadline passed without a
    /// commitment. An assigned provider is released without penalty (an honest fault costs reputation, off-chain).
    function expireJob(uint256 jobId) external {
        Job storage j = _job(jobId);
        JobState s = j.state;
        bool unassigned = s == JobState.Created || s == JobState.Escrowed;
        bool open = unassigned || s == JobState.Assigned || s == JobState.Running || s == JobState.Preempted
            || s == JobState.Reassigned;
        if (!open) revert IllegalTransition(jobId, s);
        if (block.timestamp <= j.deadline && !(unassigned && msg.sender == j.requester)) {
            revert DeadlineNotPassed(jobId, j.deadline);
        }
        if (s == JobState.Created) j.escrow = 0; // nothing was ever held
        if (s == JobState.Assigned || s == JobState.Running || s == JobState.Reassigned) {
            _providers[j.provider].activeJobs -= 1;
        }
        j.state = JobState.Expired;
        emit JobExpired(jobId);
    }

    /// @notice Refunds an Expired job's remaining escrow to its requester (anyone may trigger it).
    function refundJob(uint256 jobId) external nonReentrant {
        Job storage j = _job(jobId);
        if (j.state != JobState.Expired) revert IllegalTransition(jobId, j.state);
        uint96 amount = j.escrow;
        j.escrow = 0;
        j.state = JobState.Refunded;
        emit JobRefunded(jobId, j.requester, amount);
        _push(j.requester, amount);
    }

    // ------------------------------------------------------------------------------------------------ allocator

    /// @notice Assigns an Escrowed job to `provider` at `price`. The allocator's choice is reproducible off-chain from
    /// public offers and the seed emitted here (the hash of the block after the escrow).
    function assignJob(uint256 jobId, address provider, uint96 price) external onlyRole(ALLOCATOR_ROLE) {
        Job storage j = _job(jobId);
        if (j.state != JobState.Escrowed) revert IllegalTransition(jobId, j.state);
        uint256 seed = _assign(jobId, j, provider, price);
        j.state = JobState.Assigned;
        emit JobAssigned(jobId, provider, price, seed);
    }

    /// @notice Preempts a job whose provider is gone. The provider is paid, pro rata, for the checkpoints verifiers
    /// attested (`verifiedCheckpoints`, counted from the start of the job); the job resumes from there when reassigned.
    function preemptJob(uint256 jobId, uint16 verifiedCheckpoints) external onlyRole(ALLOCATOR_ROLE) nonReentrant {
        Job storage j = _job(jobId);
        JobState s = j.state;
        if (s != JobState.Assigned && s != JobState.Running && s != JobState.Reassigned) {
            revert IllegalTransition(jobId, s);
        }
        uint16 from = j.resumeFrom;
        if (verifiedCheckpoints < from || verifiedCheckpoints >= j.checkpointCount) {
            revert InvalidCheckpoint(jobId, verifiedCheckpoints);
        }
        uint96 paid = uint96((uint256(j.providerPrice) * (verifiedCheckpoints - from)) / (j.checkpointCount - from));
        uint96 fee = _fee(paid, j.protocolFeeBps);
        j.escrow -= paid + fee; // covered: assignment checked escrow ≥ price + fee(price) + other fees
        j.resumeFrom = verifiedCheckpoints;
        j.seedBlock = uint32(block.number);
        j.state = JobState.Preempted;
        address provider = j.provider;
        _providers[provider].activeJobs -= 1;
        emit JobPreempted(jobId, provider, verifiedCheckpoints, paid);
        _credit(provider, paid);
        _credit(_treasury, fee);
    }

    /// @notice Reassigns a Preempted job to a new provider, who resumes from the last verified checkpoint.
    function reassignJob(uint256 jobId, address provider, uint96 price) external onlyRole(ALLOCATOR_ROLE) {
        Job storage j = _job(jobId);
        if (j.state != JobState.Preempted) revert IllegalTransition(jobId, j.state);
        uint256 seed = _assign(jobId, j, provider, price);
        j.state = JobState.Reassigned;
        emit JobReassigned(jobId, provider, price, seed, j.resumeFrom);
    }

    // ------------------------------------------------------------------------------------------------- provider

    /// @notice The assigned provider acknowledges the job and starts it (Assigned|Reassigned → Running).
    function startJob(uint256 jobId) external {
        Job storage j = _job(jobId);
        if (j.state != JobState.Assigned && j.state != JobState.Reassigned) revert IllegalTransition(jobId, j.state);
        if (msg.sender != j.provider) revert NotAssignedProvider(jobId, msg.sender);
        j.state = JobState.Running;
        emit JobStarted(jobId, msg.sender);
    }

    /// @notice The assigned provider commits the Merkle root of its checkpoint commitments and the result CID
    /// (→ Committed; a provider that never called startJob passes through Running in the same call).
    function commitResult(uint256 jobId, bytes32 checkpointRoot, string calldata resultCid) external {
        Job storage j = _job(jobId);
        JobState s = j.state;
        if (s != JobState.Running && s != JobState.Assigned && s != JobState.Reassigned) {
            revert IllegalTransition(jobId, s);
        }
        if (msg.sender != j.provider) revert NotAssignedProvider(jobId, msg.sender);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (s != JobState.Running) emit JobStarted(jobId, msg.sender);
        j.seedBlock = uint32(block.number); // the next block's hash draws the verifier
        // While Committed, challengeEnds is the drawn verifier's deadline (same slot as state: no extra SSTORE slot).
        j.challengeEnds = uint32(block.timestamp) + _params.verifyWindowSec;
        j.state = JobState.Committed;
        emit ResultCommitted(jobId, msg.sender, checkpointRoot, resultCid);
    }

    // ------------------------------------------------------------------------------------------------- verifiers

    /// @notice The designated verifier's verdict: valid opens the challenge window (→ Verifying), invalid opens a
    /// dispute (→ Disputed).
    function submitVerdict(uint256 jobId, bool valid) external {
        Job storage j = _job(jobId);
        if (j.state != JobState.Committed) revert IllegalTransition(jobId, j.state);
        address designated = _designatedVerifier(jobId, j.seedBlock);
        if (msg.sender != designated) revert NotDesignatedVerifier(jobId, msg.sender, designated);
        j.verifier = msg.sender;
        emit VerdictSubmitted(jobId, msg.sender, valid);
        if (valid) {
            j.challengeEnds = uint32(block.timestamp) + _params.challengeWindowSec;
            j.state = JobState.Verifying;
        } else {
            j.state = JobState.Disputed;
            emit JobDisputed(jobId, msg.sender);
        }
    }

    /// @notice Anyone may draw another verifier for a Committed job whose drawn verifier gave no verdict within the
    /// verify window (from the hash of the block after this call; the silent one may be drawn again). Without it, one
    /// offline verifier would hold the provider's pay and the requester's escrow forever.
    function redrawVerifier(uint256 jobId) external {
        Job storage j = _job(jobId);
        if (j.state != JobState.Committed) revert IllegalTransition(jobId, j.state);
        if (block.timestamp <= j.challengeEnds) revert VerifyWindowOpen(jobId, j.challengeEnds);
        address silent = _designatedVerifier(jobId, j.seedBlock);
        j.seedBlock = uint32(block.number);
        j.challengeEnds = uint32(block.timestamp) + _params.verifyWindowSec;
        emit VerifierRedrawn(jobId, silent);
    }

    /// @notice Any verifier may challenge a passed result during the challenge window (→ Disputed).
    function challengeResult(uint256 jobId) external onlyRole(VERIFIER_ROLE) {
        Job storage j = _job(jobId);
        if (j.state != JobState.Verifying) revert IllegalTransition(jobId, j.state);
        if (block.timestamp >= j.challengeEnds) revert ChallengeWindowClosed(jobId, j.challengeEnds);
        j.state = JobState.Disputed;
        emit JobDisputed(jobId, msg.sender);
    }

    /// @notice Posts a dispute's outcome (bisection re-run by a referee committee). A cheater is slashed (→ Slashed):
    /// the requester gets the escrow back and part of the slashed stake, `rightVerifier` the verifier fee and the rest
    /// of the slashed stake. Otherwise the result stands and may settle at once (→ Verifying, window closed).
    function resolveDispute(uint256 jobId, bool providerCheated, address rightVerifier)
        external
        onlyRole(ARBITER_ROLE)
        nonReentrant
    {
        Job storage j = _job(jobId);
        if (j.state != JobState.Disputed) revert IllegalTransition(jobId, j.state);
        if (!hasRole(VERIFIER_ROLE, rightVerifier)) revert AccessControlUnauthorizedAccount(rightVerifier, VERIFIER_ROLE);
        j.verifier = rightVerifier;
        emit DisputeResolved(jobId, providerCheated, rightVerifier);
        if (providerCheated) {
            _slash(jobId, j, rightVerifier);
        } else {
            j.challengeEnds = uint32(block.timestamp);
            j.state = JobState.Verifying;
        }
    }

    // --------------------------------------------------------------------------------------------------- anyone

    /// @notice Settles a verified job once its challenge window closed (→ Settled): pays the provider, the protocol
    /// fee, the dataset and model owners (at payment time), the verifier, and refunds the unspent rest.
    function settleJob(uint256 jobId) external nonReentrant {
        Job storage j = _job(jobId);
        if (j.state != JobState.Verifying) revert IllegalTransition(jobId, j.state);
        if (block.timestamp < j.challengeEnds) revert ChallengeWindowOpen(jobId, j.challengeEnds);
        uint96 providerPaid = j.providerPrice;
        uint96 fee = _fee(providerPaid, j.protocolFeeBps);
        (uint96 datasetFee, uint96 modelFee, uint96 verifierFee) = (j.datasetFee, j.modelFee, j.verifierFee);
        // Assignment checked escrow ≥ price + fee + datasetFee + modelFee + verifierFee, so this cannot underflow.
        uint96 refund = j.escrow - providerPaid - fee - datasetFee - modelFee - verifierFee;
        j.escrow = 0;
        j.state = JobState.Settled;
        address provider = j.provider;
        _providers[provider].activeJobs -= 1;
        emit JobSettled(jobId, providerPaid, fee, datasetFee, modelFee, verifierFee, refund);
        _credit(provider, providerPaid);
        _credit(_treasury, fee);
        _payAssetFee(j.datasetId, datasetFee);
        _payAssetFee(j.modelId, modelFee);
        _credit(j.verifier, verifierFee);
        _credit(j.requester, refund);
    }

    // ------------------------------------------------------------------------------------------------- views

    /// @notice A job's record. Reverts with JobNotFound for an unknown id.
    function jobOf(uint256 jobId) external view returns (Job memory) {
        return _job(jobId);
    }

    /// @notice Number of jobs created (ids start at 1).
    function jobCount() external view returns (uint256) {
        return _jobCount;
    }

    /// @notice The seed of the job's next (or current) assignment; reverts until the seed block's successor exists.
    function assignmentSeed(uint256 jobId) external view returns (uint256) {
        return _seed(jobId, _job(jobId).seedBlock);
    }

    /// @notice The verifier drawn for a Committed job (from the hash of the block after the commitment).
    function designatedVerifier(uint256 jobId) external view returns (address) {
        return _designatedVerifier(jobId, _job(jobId).seedBlock);
    }

    /// @notice Market parameters and treasury.
    function params() external view returns (Params memory, address treasury) {
        return (_params, _treasury);
    }

    /// @notice Sets market parameters. Admin only; jobs keep the protocol fee they were created with.
    function setParams(Params calldata newParams) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setParams(newParams);
    }

    /// @notice Sets the treasury. Admin only.
    function setTreasury(address treasury) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (treasury == address(0)) revert ZeroAddress();
        _treasury = treasury;
        emit TreasuryChanged(treasury);
    }

    // ----------------------------------------------------------------------------------------------- private

    function _create(JobRequest calldata r) private returns (uint256 jobId) {
        if (r.checkpointCount == 0) revert InvalidJobRequest("checkpointCount is zero");
        if (r.deadline <= block.timestamp) revert InvalidJobRequest("deadline not in the future");
        if (r.providerBudget == 0) revert InvalidJobRequest("providerBudget is zero");
        (uint96 total,, uint96 datasetFee, uint96 modelFee) = quote(r);
        jobId = ++_jobCount;
        Job storage j = _jobs[jobId];
        (j.requester, j.escrow) = (msg.sender, total);
        (j.datasetFee, j.modelFee, j.datasetId, j.checkpointCount) = (datasetFee, modelFee, r.datasetId, r.checkpointCount);
        (j.verifierFee, j.modelId, j.protocolFeeBps, j.minHwClass) =
            (r.verifierFee, r.modelId, _params.protocolFeeBps, r.minHwClass);
        (j.state, j.deadline) = (JobState.Created, r.deadline);
        emit JobCreated(jobId, msg.sender, r.datasetId, r.modelId, r.specHash, total);
    }

    function _fund(uint256 jobId, Permit calldata permit) private {
        Job storage j = _job(jobId);
        if (j.state != JobState.Created) revert IllegalTransition(jobId, j.state);
        if (msg.sender != j.requester) revert NotRequester(jobId, msg.sender);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        j.state = JobState.Escrowed;
        j.seedBlock = uint32(block.number);
        uint96 amount = j.escrow;
        emit JobEscrowed(jobId, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @dev Shared by assign and reassign: checks eligibility and budget, records the provider, returns the seed.
    function _assign(uint256 jobId, Job storage j, address provider, uint96 price) private returns (uint256 seed) {
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        seed = _seed(jobId, j.seedBlock);
        Provider storage p = _providers[provider];
        if (!_isEligible(p, j.minHwClass)) revert ProviderNotEligible(jobId, provider);
        uint256 obligations =
            uint256(price) + _fee(price, j.protocolFeeBps) + j.datasetFee + j.modelFee + j.verifierFee;
        if (obligations > j.escrow) revert PriceAboveBudget(jobId, obligations, j.escrow);
        p.activeJobs += 1;
        (j.provider, j.providerPrice) = (provider, price);
    }

    function _slash(uint256 jobId, Job storage j, address rightVerifier) private {
        address provider = j.provider;
        Provider storage p = _providers[provider];
        uint96 slashed = uint96((uint256(p.stake) * _params.slashBps) / 10_000);
        uint96 toVerifier = uint96((uint256(slashed) * _params.slashToVerifierBps) / 10_000);
        p.stake -= slashed;
        p.activeJobs -= 1;
        _totalStaked -= slashed;
        uint96 verifierFee = j.verifierFee;
        uint96 refund = j.escrow - verifierFee;
        j.escrow = 0;
        j.state = JobState.Slashed;
        emit ProviderSlashed(jobId, provider, slashed);
        emit JobRefunded(jobId, j.requester, refund);
        _credit(rightVerifier, verifierFee + toVerifier);
        _credit(j.requester, refund + slashed - toVerifier);
    }

    function _seed(uint256 jobId, uint32 fromBlock) private view returns (uint256) {
        uint256 target = uint256(fromBlock) + 1;
        if (block.number <= target) revert SeedNotReady(jobId, target);
        bytes32 h = blockhash(target);
        // Older than 256 blocks: use the newest available hash instead; the job sat idle that long, so nobody could
        // have steered it (documented in docs/ARCHITECTURE.md).
        if (h == bytes32(0)) h = blockhash(block.number - 1);
        return uint256(keccak256(abi.encode(h, jobId)));
    }

    function _designatedVerifier(uint256 jobId, uint32 commitBlock_) private view returns (address) {
        uint256 count = getRoleMemberCount(VERIFIER_ROLE);
        if (count == 0) revert NoVerifiers();
        return getRoleMember(VERIFIER_ROLE, _seed(jobId, commitBlock_) % count);
    }

    function _assetFee(uint32 assetId, AssetKind kindA, AssetKind kindB) private view returns (uint96) {
        if (assetId == 0) return 0;
        (, AssetKind kind, uint96 price,) = _registry.payeeOf(assetId);
        if (kind != kindA && kind != kindB) revert AssetKindMismatch(assetId, kind);
        return price;
    }

    /// @dev Credits a usage fee to the asset's owner now, or pays it through Payroll when its income splits upstream.
    function _payAssetFee(uint32 assetId, uint96 amount) private {
        if (amount == 0) return;
        (address owner,,, bool hasLineage) = _registry.payeeOf(assetId);
        if (hasLineage) {
            Permit memory none;
            _payroll.pay(assetId, amount, none);
        } else {
            _credit(owner, amount);
        }
    }

    function _fee(uint96 amount, uint16 bps) private pure returns (uint96) {
        return uint96((uint256(amount) * bps) / 10_000);
    }

    function _job(uint256 jobId) private view returns (Job storage j) {
        j = _jobs[jobId];
        if (j.state == JobState.None) revert JobNotFound(jobId);
    }

    function _setParams(Params memory p) private {
        if (
            p.protocolFeeBps > MAX_PROTOCOL_FEE_BPS || p.slashBps > 10_000 || p.slashToVerifierBps > 10_000
                || p.verifyWindowSec == 0
        ) {
            revert InvalidParams();
        }
        _params = p;
        emit ParamsChanged(p);
    }
}
