// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {PullPayments} from "../shared/PullPayments.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";

/**
 * @title StorageMarket (Storage Vessel)
 * @notice Storage deals with proofs of retrievability. A client escrows payment for storing a blob (committed as a
 * Merkle root over fixed-size segments) for a number of epochs; a storage provider accepts the deal by posting
 * collateral and is paid per stored byte-epoch as epochs pass. Anyone may challenge a live deal: the segment to prove
 * is drawn from the hash of the block after the challenge, and the provider must answer with that segment's bytes and
 * a Merkle proof before the response window closes. A missed challenge slashes the collateral (to the client and the
 * challenger) and ends the deal, so the client can repair the replica on another provider with a new deal.
 *
 * Leaves are keccak256(abi.encodePacked(segmentIndex, segmentBytes)), and the tree hashes sorted pairs — the same
 * construction as the core package's Merkle trees, so OpenZeppelin's MerkleProof verifies it. Short last segments
 * are allowed.
 */
contract StorageMarket is PullPayments, AccessControl, ReentrancyGuardTransient {
    enum DealState {
        None,
        Proposed,
        Active,
        Completed,
        Failed,
        Cancelled
    }

    struct Deal {
        // slot 0
        address client;
        uint96 escrow; // payment still held
        // slot 1
        address provider;
        uint96 collateral;
        // slot 2
        bytes32 segmentRoot;
        // slot 3
        uint64 sizeBytes;
        uint32 segmentCount;
        uint32 epochs;
        uint32 startedAt; // unix seconds
        uint32 paidEpochs;
        uint32 challengeBlock; // 0 = no open challenge
        DealState state;
        // slot 4
        uint96 pricePerEpoch; // for the whole blob
        uint96 collateralRequired;
        // slot 5
        address challenger; // who opened the current challenge
    }

    uint32 public immutable EPOCH_SEC;
    uint32 public immutable RESPONSE_WINDOW_BLOCKS;
    uint16 public immutable CHALLENGER_SHARE_BPS;
    uint256 public constant MAX_SEGMENT_BYTES = 4096;

    mapping(uint256 dealId => Deal) private _deals;
    uint256 private _dealCount;

    event DealProposed(uint256 indexed dealId, address indexed client, bytes32 segmentRoot, uint64 sizeBytes, uint32 epochs, uint96 escrow);
    event DealAccepted(uint256 indexed dealId, address indexed provider, uint96 collateral);
    event DealCancelled(uint256 indexed dealId);
    event StoragePaid(uint256 indexed dealId, uint32 epochs, uint96 amount);
    event ChallengeIssued(uint256 indexed dealId, address indexed challenger, uint32 challengeBlock);
    event ChallengeAnswered(uint256 indexed dealId, uint32 segmentIndex);
    event DealFailed(uint256 indexed dealId, address indexed provider, uint96 slashed);
    event DealCompleted(uint256 indexed dealId);

    error DealNotFound(uint256 dealId);
    error IllegalDealState(uint256 dealId, DealState state);
    error InvalidDeal(string reason);
    error NotDealClient(uint256 dealId, address caller);
    error NotDealProvider(uint256 dealId, address caller);
    error ChallengeOpen(uint256 dealId);
    error NoOpenChallenge(uint256 dealId);
    error ChallengeNotReady(uint256 dealId, uint256 readyAtBlock);
    error ResponseWindowOpen(uint256 dealId, uint256 closesAtBlock);
    error ResponseWindowClosed(uint256 dealId);
    error WrongSegment(uint256 dealId, uint32 expected, uint32 given);
    error InvalidProof(uint256 dealId);
    error DealNotOver(uint256 dealId);

    constructor(IERC20 aic_, address admin, uint32 epochSec, uint32 responseWindowBlocks, uint16 challengerShareBps)
        PermitPayments(aic_)
    {
        // The response window must close while the challenge block's successor hash is still readable (256 blocks).
        if (epochSec == 0 || responseWindowBlocks == 0 || responseWindowBlocks > 250 || challengerShareBps > 10_000) {
            revert InvalidDeal("bad parameters");
        }
        EPOCH_SEC = epochSec;
        RESPONSE_WINDOW_BLOCKS = responseWindowBlocks;
        CHALLENGER_SHARE_BPS = challengerShareBps;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------------------------------------- client

    /// @notice Proposes a deal and escrows `pricePerEpoch × epochs`. Any provider may accept it.
    function proposeDeal(
        bytes32 segmentRoot,
        uint64 sizeBytes,
        uint32 segmentCount,
        uint32 epochs,
        uint96 pricePerEpoch,
        uint96 collateralRequired,
        Permit calldata permit
    ) external nonReentrant returns (uint256 dealId) {
        if (segmentRoot == bytes32(0) || sizeBytes == 0 || segmentCount == 0 || epochs == 0) revert InvalidDeal("empty deal");
        if (uint256(segmentCount) * MAX_SEGMENT_BYTES < sizeBytes) revert InvalidDeal("segments larger than MAX_SEGMENT_BYTES");
        uint96 escrow = pricePerEpoch * epochs;
        dealId = ++_dealCount;
        Deal storage d = _deals[dealId];
        (d.client, d.escrow, d.segmentRoot) = (msg.sender, escrow, segmentRoot);
        (d.sizeBytes, d.segmentCount, d.epochs, d.state) = (sizeBytes, segmentCount, epochs, DealState.Proposed);
        (d.pricePerEpoch, d.collateralRequired) = (pricePerEpoch, collateralRequired);
        emit DealProposed(dealId, msg.sender, segmentRoot, sizeBytes, epochs, escrow);
        _pull(msg.sender, escrow, permit);
    }

    /// @notice Withdraws a proposal nobody accepted; the escrow comes back.
    function cancelDeal(uint256 dealId) external nonReentrant {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Proposed) revert IllegalDealState(dealId, d.state);
        if (msg.sender != d.client) revert NotDealClient(dealId, msg.sender);
        uint96 escrow = d.escrow;
        d.escrow = 0;
        d.state = DealState.Cancelled;
        emit DealCancelled(dealId);
        _push(d.client, escrow);
    }

    // ----------------------------------------------------------------------------------------------- provider

    /// @notice Accepts a proposed deal, posting the required collateral. Storage time starts now.
    function acceptDeal(uint256 dealId, Permit calldata permit) external nonReentrant {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Proposed) revert IllegalDealState(dealId, d.state);
        uint96 collateral = d.collateralRequired;
        (d.provider, d.collateral, d.startedAt, d.state) = (msg.sender, collateral, uint32(block.timestamp), DealState.Active);
        emit DealAccepted(dealId, msg.sender, collateral);
        _pull(msg.sender, collateral, permit);
    }

    /// @notice Credits the provider for every epoch stored so far (anyone may trigger it). Not while a challenge is open.
    function payStorage(uint256 dealId) public {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Active) revert IllegalDealState(dealId, d.state);
        if (d.challengeBlock != 0) revert ChallengeOpen(dealId);
        uint32 due = _epochsElapsed(d) - d.paidEpochs;
        if (due == 0) return;
        uint96 amount = d.pricePerEpoch * due;
        d.paidEpochs += due;
        d.escrow -= amount;
        emit StoragePaid(dealId, due, amount);
        _credit(d.provider, amount);
    }

    /// @notice Ends a deal whose term is over: pays the last epochs and returns the collateral (→ Completed).
    function completeDeal(uint256 dealId) external nonReentrant {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Active) revert IllegalDealState(dealId, d.state);
        if (_epochsElapsed(d) < d.epochs) revert DealNotOver(dealId);
        payStorage(dealId);
        uint96 collateral = d.collateral;
        d.collateral = 0;
        d.state = DealState.Completed;
        emit DealCompleted(dealId);
        _credit(d.provider, collateral);
    }

    // ---------------------------------------------------------------------------------------------- challenges

    /// @notice Challenges a live deal. The segment to prove is drawn from the hash of the next block.
    function challenge(uint256 dealId) external {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Active) revert IllegalDealState(dealId, d.state);
        if (d.challengeBlock != 0) revert ChallengeOpen(dealId);
        payStorage(dealId); // epochs stored before the challenge are earned
        (d.challengeBlock, d.challenger) = (uint32(block.number), msg.sender);
        emit ChallengeIssued(dealId, msg.sender, uint32(block.number));
    }

    /// @notice The segment index an open challenge asks for (readable once the block after the challenge exists).
    function challengedSegment(uint256 dealId) public view returns (uint32) {
        Deal storage d = _deal(dealId);
        if (d.challengeBlock == 0) revert NoOpenChallenge(dealId);
        uint256 seedBlock = uint256(d.challengeBlock) + 1;
        if (block.number <= seedBlock) revert ChallengeNotReady(dealId, seedBlock + 1);
        bytes32 h = blockhash(seedBlock);
        if (h == bytes32(0)) h = blockhash(block.number - 1); // only reachable after the response window closed
        return uint32(uint256(keccak256(abi.encode(h, dealId))) % d.segmentCount);
    }

    /// @notice The provider answers an open challenge with the segment's bytes and its Merkle proof.
    function answerChallenge(uint256 dealId, uint32 segmentIndex, bytes calldata segment, bytes32[] calldata proof) external {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Active) revert IllegalDealState(dealId, d.state);
        if (msg.sender != d.provider) revert NotDealProvider(dealId, msg.sender);
        if (d.challengeBlock == 0) revert NoOpenChallenge(dealId);
        if (block.number > uint256(d.challengeBlock) + RESPONSE_WINDOW_BLOCKS) revert ResponseWindowClosed(dealId);
        uint32 expected = challengedSegment(dealId);
        if (segmentIndex != expected) revert WrongSegment(dealId, expected, segmentIndex);
        if (segment.length == 0 || segment.length > MAX_SEGMENT_BYTES) revert InvalidProof(dealId);
        bytes32 leaf = keccak256(abi.encodePacked(segmentIndex, segment));
        if (!MerkleProof.verifyCalldata(proof, d.segmentRoot, leaf)) revert InvalidProof(dealId);
        (d.challengeBlock, d.challenger) = (0, address(0));
        emit ChallengeAnswered(dealId, segmentIndex);
    }

    /// @notice After the response window of an unanswered challenge: slashes the provider's collateral to the client
    /// and the challenger, refunds the unearned escrow to the client, and ends the deal (→ Failed).
    function slashMissedChallenge(uint256 dealId) external nonReentrant {
        Deal storage d = _deal(dealId);
        if (d.state != DealState.Active) revert IllegalDealState(dealId, d.state);
        if (d.challengeBlock == 0) revert NoOpenChallenge(dealId);
        uint256 closesAt = uint256(d.challengeBlock) + RESPONSE_WINDOW_BLOCKS;
        if (block.number <= closesAt) revert ResponseWindowOpen(dealId, closesAt);
        uint96 slashed = d.collateral;
        uint96 toChallenger = uint96((uint256(slashed) * CHALLENGER_SHARE_BPS) / 10_000);
        uint96 refund = d.escrow;
        (d.collateral, d.escrow, d.state) = (0, 0, DealState.Failed);
        emit DealFailed(dealId, d.provider, slashed);
        _credit(d.challenger, toChallenger);
        _credit(d.client, slashed - toChallenger + refund);
    }

    // ----------------------------------------------------------------------------------------------- views

    /// @notice A deal's record.
    function dealOf(uint256 dealId) external view returns (Deal memory) {
        return _deal(dealId);
    }

    /// @notice Number of deals proposed (ids start at 1).
    function dealCount() external view returns (uint256) {
        return _dealCount;
    }

    function _epochsElapsed(Deal storage d) private view returns (uint32) {
        uint256 elapsed = (block.timestamp - d.startedAt) / EPOCH_SEC;
        return elapsed >= d.epochs ? d.epochs : uint32(elapsed);
    }

    function _deal(uint256 dealId) private view returns (Deal storage d) {
        d = _deals[dealId];
        if (d.state == DealState.None) revert DealNotFound(dealId);
    }
}
