// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {AssetKind} from "../assets/AssetTypes.sol";
import {Payroll} from "../payroll/Payroll.sol";
import {ComputeMarketBase} from "./ComputeMarketBase.sol";
import {ComputeMarketExceptions} from "./ComputeMarketExceptions.sol";
import {ComputeMarketViews} from "./ComputeMarketViews.sol";
import {JobRecord, JobRequest, JobState} from "./JobTypes.sol";

/**
 * @title ComputeMarket
 * @notice Escrow and state machine of compute jobs (DESIGN.md §6–7). A requester escrows the provider budget, the
 * dataset's and model's per-use fees, a verifier fee and the protocol fee; anyone may assign it to a staked
 * provider on its seeded shortlist (AssignmentDraw: a seed from the block after the escrow, so neither side picks its
 * counterpart, and no key is needed); the provider commits
 * the Merkle root of its checkpoint commitments and a result CID; a verifier chosen by the block after the commitment
 * checks it; after a challenge window the escrow is split between provider, dataset owner, model owner, verifier and
 * treasury, and anything left is refunded. Cheating proven in a dispute slashes the provider's stake to the requester and
 * the verifier that proved it. A preempted job pays its provider for verified checkpoints and resumes elsewhere.
 *
 * Payouts of settlement, preemption and slashing are credited (pull payments, {withdraw}). Dataset and model fees
 * accrue to the asset ({assetFees}) and anyone may claim them for it ({claimAssetFees}): they go to the asset's owner
 * at claim time, or through Payroll when its income splits upstream. Protocol fees accrue to the treasury and anyone
 * may sweep them there ({sweepProtocolFees}). Settlement so writes no owner's slot and calls no registry (gas goal of
 * issue 15: bench/gas.ts).
 *
 * Verifiers stake (VerifierStakes) and are drawn by the seed among the staked; a verdict a dispute proves wrong slashes
 * its verifier, silence past the verify window costs the stated penalty.
 *
 * Disputes are heard by the DisputeCourt ({setCourt}): a committee drawn from the staked verifiers votes, the court
 * calls {resolveDispute} and {penalizeReferees} with the final ruling.
 *
 * Roles: ALLOCATOR_ROLE is no longer checked (anyone assigns from the shortlist; the requester, or anyone for an
 * unstarted job, preempts); VERIFIER_ROLE neither (staking replaced it); ARBITER_ROLE rules a dispute only as the
 * court's stated fallback, while no committee can be drawn for it.
 *
 * Code layout: the happy path (create, fund, assign, start, commit, verdict, settle) runs here, the views and admin
 * calls in its base ComputeMarketViews; the other paths run in ComputeMarketExceptions, deployed by the constructor
 * and called by DELEGATECALL on this contract's storage (both inherit ComputeMarketBase), each declared here with its
 * documentation. Storage: JobRecord (JobTypes.sol), three slots per job.
 */
contract ComputeMarket is ComputeMarketViews {
    using SafeERC20 for IERC20;

    /// @dev Largest amount a job stores per part (JobRecord's 80-bit fields): 1,208,925 AIC.
    uint256 private constant MAX_JOB_AMOUNT = type(uint80).max;

    /// @dev Runs the off-happy-path functions on this contract's storage (see ComputeMarketExceptions).
    address private immutable _exceptions;

    constructor(
        IERC20 aic,
        AssetRegistry registry,
        Payroll payroll,
        address admin,
        address treasury,
        Params memory params_,
        VerifierTerms memory verifierTerms_
    ) ComputeMarketBase(aic, registry, payroll) {
        if (treasury == address(0) || admin == address(0)) revert ZeroAddress();
        _exceptions = address(new ComputeMarketExceptions(aic, registry, payroll));
        _treasury = treasury;
        _setParams(params_);
        _setVerifierTerms(verifierTerms_);
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        // Usage fees of assets with lineage are paid through Payroll, which pulls them from here.
        aic.forceApprove(address(payroll), type(uint256).max);
    }

    // ------------------------------------------------------------------------------------------------ requester

    /// @notice Creates a job (state Created) without funding it; fees are fixed now from the registry prices.
    function createJob(JobRequest calldata request) external returns (uint256 jobId) {
        (jobId,) = _create(request, false);
    }

    /// @notice Funds a Created job with its whole escrow (state Escrowed). Only its requester may fund it.
    function fundJob(uint256 jobId, Permit calldata permit) external nonReentrant {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Created) revert IllegalTransition(jobId, j.state);
        if (msg.sender != j.requester) revert NotRequester(jobId, msg.sender);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        j.state = JobState.Escrowed;
        _openAssignWindow(j);
        uint96 amount = _obligations(j);
        emit JobEscrowed(jobId, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Creates and funds a job in one transaction (Created → Escrowed).
    function createAndFundJob(JobRequest calldata request, Permit calldata permit)
        external
        nonReentrant
        returns (uint256 jobId)
    {
        uint96 amount;
        (jobId, amount) = _create(request, true);
        emit JobEscrowed(jobId, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice The escrow a request needs now: provider budget + protocol fee on it + dataset, model and verifier fees.
    function quote(JobRequest calldata request)
        external
        view
        returns (uint96 total, uint96 protocolFee, uint96 datasetFee, uint96 modelFee)
    {
        (total, protocolFee, datasetFee, modelFee) = _quote(request);
    }

    /// @notice Expires a job: its requester may do so before assignment, anyone once the deadline passed without a
    /// commitment. An assigned provider is released without penalty (an honest fault costs reputation, off-chain).
    function expireJob(uint256 jobId) external {
        jobId;
        _delegateToExceptions();
    }

    /// @notice Refunds an Expired job's remaining escrow to its requester (anyone may trigger it).
    function refundJob(uint256 jobId) external {
        jobId;
        _delegateToExceptions();
    }

    // ------------------------------------------------------------------------------------------------ placement

    /// @notice Assigns an Escrowed job to `provider`, who must be on the job's seeded shortlist ({assignmentShortlist});
    /// anyone may call it (several coordinators may race: the first valid proposal wins, later ones revert). The price
    /// is the requester's provider budget, fixed at creation.
    function assignJob(uint256 jobId, address provider) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Escrowed) revert IllegalTransition(jobId, j.state);
        uint256 seed = _assign(jobId, j, provider, address(0));
        j.state = JobState.Assigned;
        emit JobAssigned(jobId, provider, j.providerPrice, seed);
    }

    /// @notice Anyone may draw a new shortlist for a job still unplaced when its shortlist's window ended (e.g. every
    /// provider on it is offline or cannot run the job): the hash of the block after this call seeds it.
    function redrawAssignment(uint256 jobId) external {
        jobId;
        _delegateToExceptions();
    }

    /// @notice Preempts a job whose provider is gone, by rules anyone can check (no key): its requester (who pays and
    /// holds the mirror of the reported checkpoints) at the checkpoints it attests, paid pro rata (`verifiedCheckpoints`,
    /// counted from the start of the job); anyone else only a job its provider did not start within the assign window
    /// of its assignment, at `resumeFrom` (nothing paid). The job resumes from there when reassigned. A requester that
    /// under-attests saves nothing: what the first provider is not paid, the next one is.
    function preemptJob(uint256 jobId, uint16 verifiedCheckpoints) external {
        (jobId, verifiedCheckpoints);
        _delegateToExceptions();
    }

    /// @notice Reassigns a Preempted job to a provider on its new shortlist (the preempted one is left off), who
    /// resumes from the last verified checkpoint for what the budget has left. Anyone may call it.
    function reassignJob(uint256 jobId, address provider) external {
        (jobId, provider);
        _delegateToExceptions();
    }

    // ------------------------------------------------------------------------------------------------- provider

    /// @notice The assigned provider acknowledges the job and starts it (Assigned|Reassigned → Running).
    function startJob(uint256 jobId) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Assigned && j.state != JobState.Reassigned) revert IllegalTransition(jobId, j.state);
        if (msg.sender != _providerById[j.providerId]) revert NotAssignedProvider(jobId, msg.sender);
        j.state = JobState.Running;
        emit JobStarted(jobId, msg.sender);
    }

    /// @notice The assigned provider commits the Merkle root of its checkpoint commitments and the result CID
    /// (→ Committed; a provider that never called startJob passes through Running in the same call).
    function commitResult(uint256 jobId, bytes32 checkpointRoot, string calldata resultCid) external {
        JobRecord storage j = _job(jobId);
        JobState s = j.state;
        if (s != JobState.Running && s != JobState.Assigned && s != JobState.Reassigned) {
            revert IllegalTransition(jobId, s);
        }
        if (msg.sender != _providerById[j.providerId]) revert NotAssignedProvider(jobId, msg.sender);
        if (block.timestamp > j.deadline) revert DeadlinePassed(jobId, j.deadline);
        if (s != JobState.Running) emit JobStarted(jobId, msg.sender);
        // The next block's hash draws the verifier; while Committed, challengeEnds is its deadline (one slot written).
        (j.seedBlock, j.challengeEnds, j.state) =
            (uint32(block.number), uint32(block.timestamp) + _params.verifyWindowSec, JobState.Committed);
        emit ResultCommitted(jobId, msg.sender, checkpointRoot, resultCid);
    }

    // ------------------------------------------------------------------------------------------------- verifiers

    /// @notice The designated verifier's verdict: valid opens the challenge window (→ Verifying), invalid opens a
    /// dispute (→ Disputed).
    function submitVerdict(uint256 jobId, bool valid) external {
        JobRecord storage j = _job(jobId);
        if (j.state != JobState.Committed) revert IllegalTransition(jobId, j.state);
        address designated = _designatedVerifier(jobId, j.seedBlock);
        if (msg.sender != designated) revert NotDesignatedVerifier(jobId, msg.sender, designated);
        // The draw just read the verifier's record: its id costs no extra read, and fits the job's first slot.
        (j.verifierId, j.verdictValid) = (_verifiers[msg.sender].id, valid);
        emit VerdictSubmitted(jobId, msg.sender, valid);
        if (valid) {
            (j.challengeEnds, j.state) =
                (uint32(block.timestamp) + _params.challengeWindowSec, JobState.Verifying);
        } else {
            _dispute(jobId, j);
        }
    }

    /// @notice Anyone may draw another verifier for a Committed job whose drawn verifier gave no verdict within the
    /// verify window (from the hash of the block after this call; the silent one may be drawn again). Without it, one
    /// offline verifier would hold the provider's pay and the requester's escrow forever.
    function redrawVerifier(uint256 jobId) external {
        jobId;
        _delegateToExceptions();
    }

    /// @notice Any staked verifier may challenge a passed result during the challenge window (→ Disputed).
    function challengeResult(uint256 jobId) external {
        jobId;
        _delegateToExceptions();
    }

    /// @notice Posts a dispute's final ruling: the court's, or ARBITER_ROLE's only while the court says no committee
    /// can be drawn for it ({IDisputeCourt.fallbackOpen}). A cheater is slashed (→ Slashed): the requester gets the
    /// escrow back and part of the slashed stake, `rightVerifier` the verifier fee and the rest of the slashed stake.
    /// Otherwise the result stands and may settle at once (→ Verifying, window closed).
    function resolveDispute(uint256 jobId, bool providerCheated, address rightVerifier) external {
        (jobId, providerCheated, rightVerifier);
        _delegateToExceptions();
    }

    /// @notice The court's penalties on its referees (the court only): `wrong` voted against the final ruling (or
    /// challenged in vain) and lose the verifier slash share, `silent` never voted and pay the silence penalty.
    function penalizeReferees(uint256 jobId, address[] calldata wrong, address[] calldata silent) external {
        (jobId, wrong, silent);
        _delegateToExceptions();
    }

    // --------------------------------------------------------------------------------------------------- anyone

    /// @notice Settles a verified job once its challenge window closed (→ Settled): credits the provider and the
    /// verifier, accrues the protocol fee to the treasury ({sweepProtocolFees}) and the dataset and model fees to their
    /// assets ({claimAssetFees}). The escrow is exactly what the job owes (see JobRecord), so nothing is left to refund.
    function settleJob(uint256 jobId) external nonReentrant {
        JobRecord storage j = _job(jobId);
        JobRecord memory m = j; // the three slots, read once
        if (m.state != JobState.Verifying) revert IllegalTransition(jobId, m.state);
        if (block.timestamp < m.challengeEnds) revert ChallengeWindowOpen(jobId, m.challengeEnds);
        uint96 providerPaid = m.providerPrice;
        uint96 fee = _fee(providerPaid, m.protocolFeeBps);
        j.state = JobState.Settled;
        address provider = _providerById[m.providerId];
        _providers[provider].activeJobs -= 1;
        emit JobSettled(jobId, providerPaid, fee, m.datasetFee, m.modelFee, m.verifierFee, 0);
        _credit(provider, providerPaid);
        _creditHouse(fee);
        _accrueAssetFee(m.datasetId, m.datasetFee);
        _accrueAssetFee(m.modelId, m.modelFee);
        _credit(_verifierById[m.verifierId], m.verifierFee);
    }

    /// @notice Pays the usage fees accrued to `assetId` to its owner now, or through Payroll when its income splits
    /// upstream (lineage). Anyone may call it (the fees go to the owner, not the caller), e.g. a seller before a sale.
    function claimAssetFees(uint256 assetId) external nonReentrant returns (uint256 amount) {
        amount = _assetFees[assetId];
        if (amount == 0) revert NothingToClaim(assetId);
        _assetFees[assetId] = 0;
        _release(amount);
        (address owner,,, bool hasLineage) = _registry.payeeOf(assetId);
        emit AssetFeesClaimed(assetId, owner, amount);
        if (hasLineage) {
            Permit memory none;
            _payroll.pay(assetId, amount, none);
        } else {
            _push(owner, amount);
        }
    }

    /// @notice Pays the protocol fees accrued so far to the treasury. Anyone may call it.
    function sweepProtocolFees() external nonReentrant returns (uint256 amount) {
        amount = _takeHouse();
        if (amount == 0) revert NothingToSweep();
        address treasury = _treasury;
        emit ProtocolFeesSwept(treasury, amount);
        _push(treasury, amount);
    }

    // ----------------------------------------------------------------------------------------------- private

    /// @dev Stores a new job, Created or (funded in the same call) Escrowed with its assign window open; returns the
    /// escrow it needs.
    function _create(JobRequest calldata r, bool funded) private returns (uint256 jobId, uint96 total) {
        if (r.checkpointCount == 0) revert InvalidJobRequest("checkpointCount is zero");
        if (r.deadline <= block.timestamp) revert InvalidJobRequest("deadline not in the future");
        if (r.providerBudget == 0) revert InvalidJobRequest("providerBudget is zero");
        uint96 datasetFee;
        uint96 modelFee;
        (total,, datasetFee, modelFee) = _quote(r);
        if ((r.providerBudget | r.verifierFee | datasetFee | modelFee) > MAX_JOB_AMOUNT) {
            revert InvalidJobRequest("amount above 2^80 wei");
        }
        MarketConfig storage p = _params;
        jobId = ++p.jobCount;
        JobRecord storage j = _jobs[jobId];
        if (funded) {
            _writeFirstSlot(j, r, JobState.Escrowed, uint32(block.number), p.assignWindowSec);
        } else {
            _writeFirstSlot(j, r, JobState.Created, 0, 0);
        }
        (j.requester, j.verifierFee, j.protocolFeeBps) = (msg.sender, uint80(r.verifierFee), p.protocolFeeBps);
        (j.datasetFee, j.modelFee) = (uint80(datasetFee), uint80(modelFee));
        (j.datasetId, j.modelId, j.checkpointCount) = (r.datasetId, r.modelId, r.checkpointCount);
        emit JobCreated(jobId, msg.sender, r.datasetId, r.modelId, r.specHash, total);
    }

    /// @dev Slot 0 of a new record in one straight run of writes (no branch between them), which the optimizer merges
    /// into one SSTORE. A funded job's assign window opens now (`seedBlock` = this block).
    function _writeFirstSlot(
        JobRecord storage j,
        JobRequest calldata r,
        JobState state,
        uint32 seedBlock,
        uint32 assignWindowSec
    ) private {
        uint32 windowEnds = seedBlock == 0 ? 0 : uint32(block.timestamp) + assignWindowSec;
        j.state = state;
        j.minHwClass = r.minHwClass;
        j.seedBlock = seedBlock;
        j.challengeEnds = windowEnds;
        j.deadline = r.deadline;
        j.providerPrice = uint80(r.providerBudget); // fixed-price job: the assignee earns the budget
    }

    function _quote(JobRequest calldata r)
        private
        view
        returns (uint96 total, uint96 protocolFee, uint96 datasetFee, uint96 modelFee)
    {
        datasetFee = _assetFee(r.datasetId, AssetKind.Data, AssetKind.Dataset);
        modelFee = _assetFee(r.modelId, AssetKind.Model, AssetKind.TrainedAI);
        protocolFee = _fee(r.providerBudget, _params.protocolFeeBps);
        total = r.providerBudget + protocolFee + datasetFee + modelFee + r.verifierFee;
    }

    function _assetFee(uint32 assetId, AssetKind kindA, AssetKind kindB) private view returns (uint96 price) {
        if (assetId == 0) return 0;
        AssetKind kind;
        (kind, price) = _registry.priceOf(assetId);
        if (kind != kindA && kind != kindB) revert AssetKindMismatch(assetId, kind);
    }

    /// @dev Accrues a usage fee to its asset (one slot, the asset's; claimed by {claimAssetFees}), counted as owed.
    function _accrueAssetFee(uint32 assetId, uint96 amount) private {
        if (amount == 0) return;
        _assetFees[assetId] += amount;
        _hold(amount);
    }

    /// @dev Runs the call (its calldata as received) in ComputeMarketExceptions on this contract's storage and
    /// returns or reverts with what it did. (The declaring functions name their parameters for the ABI and the docs
    /// only: the callee decodes the calldata itself.)
    function _delegateToExceptions() private {
        address target = _exceptions;
        assembly {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
