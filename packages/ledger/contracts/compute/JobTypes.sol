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
    uint48 datasetId; // 0 = no dataset
    uint48 modelId; // 0 = no model
    uint96 providerBudget; // most the requester pays providers, protocol fee excluded
    uint96 verifierFee;
    uint8 minHwClass;
    uint16 checkpointCount; // checkpoints the job will commit (K steps each), ≥ 1
    uint32 deadline; // unix seconds: no commitment accepted after it
    bytes32 specHash; // hash of the off-chain job spec (model, data, hyper-parameters, backend, seed)
}

/// @notice On-chain record of a job, packed into six slots (gas: see bench/gas.ts).
struct Job {
    // slot 0
    address requester;
    uint96 escrow; // AIC still held for this job (all parts)
    // slot 1
    address provider; // current assignee
    uint96 providerPrice; // price of the current assignment, for checkpoints resumeFrom..checkpointCount
    // slot 2
    uint96 datasetFee;
    uint96 modelFee;
    uint48 datasetId;
    uint16 checkpointCount;
    // slot 3
    uint96 verifierFee;
    uint48 modelId;
    uint16 protocolFeeBps; // snapshot at creation
    uint8 minHwClass;
    JobState state;
    uint32 deadline;
    uint32 seedBlock; // block whose successor's hash seeds the next assignment
    uint16 resumeFrom; // checkpoints already verified and paid (preemption)
    // slot 4
    address verifier; // designated verifier that passed it, or the verifier proven right in a dispute
    uint32 commitBlock;
    uint32 challengeEnds;
    // slot 5
    bytes32 checkpointRoot;
}
