// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {MessageHashUtils} from "@openzeppelin/contracts/utils/cryptography/MessageHashUtils.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";

/**
 * @title ValidatorStakes (PoV chain validators' stake and slashing on evidence)
 * @notice PoV-chain validators (the GPU Vessels) stake AIC to propose and attest. A validator is active while its stake
 * is at least `minStake` and it has not asked to leave; leaving takes `unbondingSec`, during which it can still be
 * slashed. Two offences are provable on chain with the validators' own EIP-712 signatures (packages/chain
 * consensus/digests.ts: domain {name "AIC PoV", version "1", chainId = the PoV chain's id}, no verifyingContract):
 *  - equivocation: two Proposal(slot, blockHash) signatures by one proposer for one slot with different block hashes;
 *    slashes `equivocationSlashBps`, once per (proposer, slot);
 *  - invalid block: the proposer's Proposal(slot, blockHash) signature plus Attestation(slot, blockHash, false)
 *    rejections by distinct active validators other than the proposer, at least ceil(2/3 · min(n − 1,
 *    committeeMaxSize)) of them (n = active validators; a committee is drawn from them, so its 2/3 always suffice);
 *    slashes `invalidBlockSlashBps`, once per block hash.
 * Of each slash `reporterShareBps` goes to whoever submitted the evidence, the rest to the treasury.
 */
contract ValidatorStakes is PermitPayments {
    struct Terms {
        uint96 minStake;
        uint16 equivocationSlashBps;
        uint16 invalidBlockSlashBps;
        uint16 reporterShareBps;
        uint32 unbondingSec;
        uint8 committeeMaxSize;
    }

    struct Validator {
        uint96 stake;
        uint32 exitAt; // 0 = bonded; otherwise when the stake may be withdrawn (no longer active)
        uint32 listIndex;
        bool listed;
    }

    bytes32 private constant DOMAIN_TYPEHASH = keccak256("EIP712Domain(string name,string version,uint256 chainId)");
    bytes32 private constant PROPOSAL_TYPEHASH = keccak256("Proposal(uint64 slot,bytes32 blockHash)");
    bytes32 private constant ATTESTATION_TYPEHASH = keccak256("Attestation(uint64 slot,bytes32 blockHash,bool valid)");

    /// @notice The EIP-712 domain separator of the PoV chain's signatures.
    bytes32 public immutable povDomainSeparator;
    address public immutable treasury;
    Terms private _terms;
    mapping(address validator => Validator) private _validators;
    address[] private _list; // everyone holding stake, active or not (the order is not meaningful)
    uint256 private _activeCount;
    mapping(bytes32 evidenceId => bool) private _used;

    event ValidatorStaked(address indexed validator, address indexed funder, uint256 amount, uint256 stake);
    event ValidatorExitRequested(address indexed validator, uint32 exitAt);
    event ValidatorWithdrawn(address indexed validator, uint256 amount);
    event ValidatorSlashed(
        address indexed validator, bytes32 indexed evidenceId, uint8 offence, uint256 amount, address reporter
    );

    error ValidatorInvalidTerms();
    error ValidatorZeroAmount();
    error ValidatorExiting(address validator, uint32 exitAt);
    error ValidatorStakeBelowMinimum(uint256 stake, uint256 minimum);
    error ValidatorNotExiting(address validator);
    error ValidatorStillBonded(address validator, uint32 exitAt);
    error ValidatorNothingStaked(address validator);
    error ValidatorEvidenceMalformed();
    error ValidatorSameBlock(bytes32 blockHash);
    error ValidatorSignersDiffer(address signerA, address signerB);
    error ValidatorEvidenceUsed(bytes32 evidenceId);
    error ValidatorBadRejection(uint256 index, address signer);
    error ValidatorTooFewRejections(uint256 given, uint256 needed);

    /// @param povChainId The PoV chain's id, as in the signatures' domain (block.chainid when deployed on it).
    constructor(IERC20 aic, address treasury_, uint256 povChainId, Terms memory terms_) PermitPayments(aic) {
        if (
            treasury_ == address(0) || terms_.minStake == 0 || terms_.equivocationSlashBps > 10_000
                || terms_.invalidBlockSlashBps > 10_000 || terms_.reporterShareBps > 10_000 || terms_.committeeMaxSize == 0
        ) revert ValidatorInvalidTerms();
        treasury = treasury_;
        _terms = terms_;
        povDomainSeparator =
            keccak256(abi.encode(DOMAIN_TYPEHASH, keccak256("AIC PoV"), keccak256("1"), povChainId));
    }

    // ------------------------------------------------------------------------------------------------ staking

    /// @notice Stakes `amount` AIC for the caller.
    function stake(uint256 amount, Permit calldata permit) external {
        stakeFor(msg.sender, amount, permit);
    }

    /// @notice Stakes `amount` AIC of the caller's for `validator` (the stake is the validator's: it withdraws it).
    function stakeFor(address validator, uint256 amount, Permit calldata permit) public {
        if (amount == 0) revert ValidatorZeroAmount();
        Validator storage v = _validators[validator];
        if (v.exitAt != 0) revert ValidatorExiting(validator, v.exitAt);
        uint256 total = uint256(v.stake) + amount;
        if (total < _terms.minStake) revert ValidatorStakeBelowMinimum(total, _terms.minStake);
        bool wasActive = _isActive(v);
        v.stake = uint96(total);
        if (!v.listed) {
            (v.listed, v.listIndex) = (true, uint32(_list.length));
            _list.push(validator);
        }
        if (!wasActive) ++_activeCount;
        emit ValidatorStaked(validator, msg.sender, amount, total);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Stops validating: the stake unbonds for `unbondingSec` (still slashable), then {withdraw} pays it.
    function requestExit() external {
        Validator storage v = _validators[msg.sender];
        if (v.stake == 0) revert ValidatorNothingStaked(msg.sender);
        if (v.exitAt != 0) revert ValidatorExiting(msg.sender, v.exitAt);
        if (_isActive(v)) --_activeCount;
        v.exitAt = uint32(block.timestamp) + _terms.unbondingSec;
        emit ValidatorExitRequested(msg.sender, v.exitAt);
    }

    /// @notice Pays out the caller's stake once its unbonding ended.
    function withdraw() external {
        Validator storage v = _validators[msg.sender];
        if (v.exitAt == 0) revert ValidatorNotExiting(msg.sender);
        if (block.timestamp < v.exitAt) revert ValidatorStillBonded(msg.sender, v.exitAt);
        uint256 amount = v.stake;
        _unlist(v.listIndex);
        delete _validators[msg.sender];
        emit ValidatorWithdrawn(msg.sender, amount);
        _push(msg.sender, amount);
    }

    // ------------------------------------------------------------------------------------------------ slashing

    /// @notice Slashes a proposer that signed two blocks for one slot. `evidence` = abi.encode(uint64 slot,
    /// bytes32 blockHashA, bytes sigA, bytes32 blockHashB, bytes sigB).
    function slashEquivocation(bytes calldata evidence) external returns (uint256 amount) {
        (uint64 slot, bytes32 hashA, bytes memory sigA, bytes32 hashB, bytes memory sigB) = _decodeEquivocation(evidence);
        if (hashA == hashB) revert ValidatorSameBlock(hashA);
        address a = ECDSA.recover(proposalDigest(slot, hashA), sigA);
        address b = ECDSA.recover(proposalDigest(slot, hashB), sigB);
        if (a != b) revert ValidatorSignersDiffer(a, b);
        bytes32 id = keccak256(abi.encode("equivocation", a, slot));
        return _slash(a, id, 1, _terms.equivocationSlashBps);
    }

    /// @notice Slashes the proposer of a block its committee rejected. `evidence` = abi.encode(uint64 slot,
    /// bytes32 blockHash, bytes proposerSig, bytes[] rejections).
    function slashInvalidBlock(bytes calldata evidence) external returns (uint256 amount) {
        (uint64 slot, bytes32 blockHash, bytes memory proposerSig, bytes[] memory rejections) =
            _decodeInvalidBlock(evidence);
        address proposer = ECDSA.recover(proposalDigest(slot, blockHash), proposerSig);
        bytes32 rejectionDigest = attestationDigest(slot, blockHash, false);
        address[] memory seen = new address[](rejections.length);
        for (uint256 i = 0; i < rejections.length; ++i) {
            address signer = ECDSA.recover(rejectionDigest, rejections[i]);
            if (signer == proposer || !_isActive(_validators[signer])) revert ValidatorBadRejection(i, signer);
            for (uint256 j = 0; j < i; ++j) if (seen[j] == signer) revert ValidatorBadRejection(i, signer);
            seen[i] = signer;
        }
        uint256 needed = rejectQuorum();
        if (rejections.length < needed) revert ValidatorTooFewRejections(rejections.length, needed);
        bytes32 id = keccak256(abi.encode("invalid block", blockHash));
        return _slash(proposer, id, 2, _terms.invalidBlockSlashBps);
    }

    // -------------------------------------------------------------------------------------------------- views

    /// @notice The digest a proposer signs for block `blockHash` at `slot` (EIP-712 Proposal).
    function proposalDigest(uint64 slot, bytes32 blockHash) public view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            povDomainSeparator, keccak256(abi.encode(PROPOSAL_TYPEHASH, slot, blockHash))
        );
    }

    /// @notice The digest a committee member signs (EIP-712 Attestation; valid = false is a rejection).
    function attestationDigest(uint64 slot, bytes32 blockHash, bool valid) public view returns (bytes32) {
        return MessageHashUtils.toTypedDataHash(
            povDomainSeparator, keccak256(abi.encode(ATTESTATION_TYPEHASH, slot, blockHash, valid))
        );
    }

    /// @notice Rejections an invalid-block slash needs now: ceil(2/3 · min(n − 1, committeeMaxSize)), at least 1.
    function rejectQuorum() public view returns (uint256) {
        uint256 size = _activeCount == 0 ? 0 : _activeCount - 1;
        if (size > _terms.committeeMaxSize) size = _terms.committeeMaxSize;
        uint256 quorum = (2 * size + 2) / 3;
        return quorum == 0 ? 1 : quorum;
    }

    function validatorOf(address validator) external view returns (Validator memory) {
        return _validators[validator];
    }

    /// @notice Whether `validator` may propose and attest (stake ≥ minimum, not leaving).
    function isActive(address validator) external view returns (bool) {
        return _isActive(_validators[validator]);
    }

    /// @notice The active validators (order not meaningful).
    function activeValidators() external view returns (address[] memory active) {
        active = new address[](_activeCount);
        uint256 k;
        for (uint256 i = 0; i < _list.length; ++i) if (_isActive(_validators[_list[i]])) active[k++] = _list[i];
    }

    function activeCount() external view returns (uint256) {
        return _activeCount;
    }

    function terms() external view returns (Terms memory) {
        return _terms;
    }

    function evidenceUsed(bytes32 evidenceId) external view returns (bool) {
        return _used[evidenceId];
    }

    /// @dev ABI decoders behind an external self-call, so malformed evidence fails with a typed error.
    function decodeEquivocation(bytes calldata evidence)
        external
        pure
        returns (uint64, bytes32, bytes memory, bytes32, bytes memory)
    {
        return abi.decode(evidence, (uint64, bytes32, bytes, bytes32, bytes));
    }

    function decodeInvalidBlock(bytes calldata evidence)
        external
        pure
        returns (uint64, bytes32, bytes memory, bytes[] memory)
    {
        return abi.decode(evidence, (uint64, bytes32, bytes, bytes[]));
    }

    // ------------------------------------------------------------------------------------------------ private

    function _isActive(Validator storage v) private view returns (bool) {
        return v.exitAt == 0 && v.stake >= _terms.minStake && v.stake != 0;
    }

    function _slash(address validator, bytes32 id, uint8 offence, uint16 bps) private returns (uint256 amount) {
        if (_used[id]) revert ValidatorEvidenceUsed(id);
        Validator storage v = _validators[validator];
        if (v.stake == 0) revert ValidatorNothingStaked(validator);
        _used[id] = true;
        bool wasActive = _isActive(v);
        amount = (uint256(v.stake) * bps) / 10_000;
        v.stake -= uint96(amount);
        if (wasActive && !_isActive(v)) --_activeCount;
        uint256 toReporter = (amount * _terms.reporterShareBps) / 10_000;
        emit ValidatorSlashed(validator, id, offence, amount, msg.sender);
        _push(msg.sender, toReporter);
        _push(treasury, amount - toReporter);
    }

    /// @dev Swap-and-pop; the leaving validator's own entry is deleted by the caller (it may be the moved one).
    function _unlist(uint32 index) private {
        address last = _list[_list.length - 1];
        _list[index] = last;
        _validators[last].listIndex = index;
        _list.pop();
    }

    function _decodeEquivocation(bytes calldata evidence)
        private
        view
        returns (uint64, bytes32, bytes memory, bytes32, bytes memory)
    {
        try this.decodeEquivocation(evidence) returns (
            uint64 slot, bytes32 hashA, bytes memory sigA, bytes32 hashB, bytes memory sigB
        ) {
            return (slot, hashA, sigA, hashB, sigB);
        } catch {
            revert ValidatorEvidenceMalformed();
        }
    }

    function _decodeInvalidBlock(bytes calldata evidence)
        private
        view
        returns (uint64, bytes32, bytes memory, bytes[] memory)
    {
        try this.decodeInvalidBlock(evidence) returns (
            uint64 slot, bytes32 blockHash, bytes memory proposerSig, bytes[] memory rejections
        ) {
            return (slot, blockHash, proposerSig, rejections);
        } catch {
            revert ValidatorEvidenceMalformed();
        }
    }
}
