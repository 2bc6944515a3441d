// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Job states (DESIGN.md §6). `None` marks an unused id.
/// Created → Escrowed → Assigned → Running → Committed → Verifying → Settled;
/// Committed|Verifying → Disputed → Slashed (or back to Verifying when the provider was right);
/// Assigned|Running|Reassigned → Preempted → Reassigned; Created|Escrowed|Assigned|Running|Preempted|Reassigned →
/// Expired → Refunded.
enum JobState {
    None,
    Created,
    Escrowed,
    Assigned,
    Running,
    Committed,
    Verifying,
    Settled,
    Disputed,
    Slashed,
    Preempted,
    Reassigned,
    Expired,
    Refunded
}

/// @notice What a requester asks for. Fees for the dataset and model are read from the AssetRegistry at creation.
struct JobRequest {
    uint32 datasetId; // 0 = no dataset
    uint32 modelId; // 0 = no model
    uint96 providerBudget; // most the requester pays providers, protocol fee excluded
    uint96 verifierFee;
    uint8 minHwClass;
    uint16 checkpointCount; // checkpoints the job will commit (K steps each), ≥ 1
    uint32 deadline; // unix seconds: no commitment accepted after it
    bytes32 specHash; // hash of the off-chain job spec (model, data, hyper-parameters, backend, seed)
}

/// @notice A job as {ComputeMarket.jobOf} returns it (the view off-chain code reads). It is built from the stored
/// JobRecord: ids resolve to addresses, the escrow is derived from the fees still owed.
/// The checkpoint root and result CID live in the ResultCommitted event, not in storage: every later step (verifiers,
/// disputes, TrainedAI minting) reads them from the log, which is as immutable as storage and 20,000 gas cheaper.
struct Job {
    address requester;
    uint96 escrow; // AIC still held for this job (all parts); the amount to fund while Created
    uint96 datasetFee;
    uint96 modelFee;
    uint32 datasetId; // 0 = no dataset
    uint32 modelId; // 0 = no model
    uint96 verifierFee;
    uint96 providerPrice; // price of the current assignment, for checkpoints resumeFrom..checkpointCount
    uint32 deadline; // unix seconds: no commitment accepted after it
    uint32 seedBlock; // block whose successor's hash draws the next assignee or verifier
    address provider; // current assignee
    JobState state;
    uint8 minHwClass;
    uint16 protocolFeeBps; // snapshot at creation
    uint32 challengeEnds;
    uint16 checkpointCount; // checkpoints the job commits (K steps each)
    uint16 resumeFrom; // checkpoints already verified and paid (preemption)
    address verifier; // designated verifier that gave the verdict, or the verifier proven right in a dispute
    bool verdictValid; // that verdict (a dispute proving it wrong slashes its verifier)
}

/// @notice The stored record of a job: three slots, all written at creation (gas: bench/gas.ts). Slot 0 holds all
/// that assignment, commitment, verdict and dispute read and write, so each of them touches one slot of the record.
/// Providers and verifiers are stored by their stable registration ids (24 bits) instead of 160-bit addresses, and
/// amounts in 80 bits (up to 1,208,925 AIC per part of a job; creation rejects more), which is what lets the verdict
/// write no fresh slot and the record fit three. The escrow is not stored: it is what the job still owes
/// (price + protocol fee on it + dataset, model and verifier fees) until it settles, is slashed or refunded.
struct JobRecord {
    // slot 0 (create; assignment, commitment, verdict, dispute, preemption)
    JobState state;
    bool verdictValid; // the verdict (a dispute proving it wrong slashes its verifier)
    uint8 minHwClass;
    uint32 seedBlock; // block whose successor's hash draws the next assignee or verifier; 0 until funded
    uint32 challengeEnds; // assign window's end, start-by time, verify window's end or challenge window's end
    uint32 deadline; // unix seconds: no commitment accepted after it
    uint24 providerId; // current assignee (ProviderStakes id; 0 = none)
    uint24 verifierId; // verifier that gave the verdict, or the one proven right in a dispute (0 = none)
    uint80 providerPrice; // price of the current assignment, for checkpoints resumeFrom..checkpointCount
    // (8 bits free: settlement no longer needs the assets' lineage, their fees accrue to the assets.)
    // slot 1 (create)
    address requester;
    uint80 verifierFee;
    uint16 protocolFeeBps; // snapshot at creation
    // slot 2 (create; resumeFrom at preemption)
    uint80 datasetFee;
    uint80 modelFee;
    uint32 datasetId; // 0 = no dataset
    uint32 modelId; // 0 = no model
    uint16 checkpointCount; // checkpoints the job commits (K steps each)
    uint16 resumeFrom; // checkpoints already verified and paid (preemption)
}
