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

/// @notice On-chain record of a job, packed so a whole lifecycle writes five fresh slots (gas: bench/gas.ts).
/// The checkpoint root and result CID live in the ResultCommitted event, not in storage: every later step (verifiers,
/// disputes, TrainedAI minting) reads them from the log, which is as immutable as storage and 20,000 gas cheaper.
struct Job {
    // slot 0 (create)
    address requester;
    uint96 escrow; // AIC still held for this job (all parts); the amount to fund while Created
    // slot 1 (create)
    uint96 datasetFee;
    uint96 modelFee;
    uint32 datasetId; // 0 = no dataset
    uint32 modelId; // 0 = no model
    // slot 2 (create; providerPrice at assignment, seedBlock at escrow, preemption and commitment)
    uint96 verifierFee;
    uint96 providerPrice; // price of the current assignment, for checkpoints resumeFrom..checkpointCount
    uint32 deadline; // unix seconds: no commitment accepted after it
    uint32 seedBlock; // block whose successor's hash draws the next assignee or verifier
    // slot 3 (create; provider at assignment)
    address provider; // current assignee
    JobState state;
    uint8 minHwClass;
    uint16 protocolFeeBps; // snapshot at creation
    uint32 challengeEnds;
    uint16 checkpointCount; // checkpoints the job commits (K steps each)
    uint16 resumeFrom; // checkpoints already verified and paid (preemption)
    // slot 4 (verdict)
    address verifier; // designated verifier that passed it, or the verifier proven right in a dispute
}
