// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PullPayments} from "../shared/PullPayments.sol";
import {AssignmentDraw} from "./AssignmentDraw.sol";

/**
 * @title VerifierStakes
 * @notice Verifiers stake to be drawn (DESIGN.md §7, issue 15). A job's verifier is drawn by the seed among the
 * staked verifiers; a verdict proven wrong (by a dispute or a canary) slashes `slashBps` of its stake, and silence
 * past the verify window costs the stated `silencePenalty`. Leaving takes an unbonding period, during which the
 * verifier is no longer drawn but can still be slashed for verdicts it gave. Stakes count in {totalStaked}.
 */
abstract contract VerifierStakes is AssignmentDraw, PullPayments {
    /// @notice A verifier as {verifierOf} returns it.
    struct Verifier {
        uint96 stake;
        uint32 listIndex; // position in _verifierList (the draw's order)
        uint32 exitAt; // 0 = bonded; otherwise when the stake may be withdrawn (no longer drawn)
        bool registered;
    }

    /// @dev The stored record: the view plus the verifier's id, in the same slot (the draw reads it anyway, so the
    /// verdict records the id at no extra read).
    struct VerifierRecord {
        uint96 stake;
        uint32 listIndex;
        uint32 exitAt;
        bool registered;
        uint24 id; // assigned at registration, never reused: jobs store it instead of the address
    }

    struct VerifierTerms {
        uint96 minStake; // stake a verifier needs to be drawn
        uint96 silencePenalty; // taken from a drawn verifier silent past the verify window (to the treasury)
        uint16 slashBps; // share of its stake a verifier proven wrong loses
        uint32 unbondingSec; // time between asking to leave and withdrawing the stake
    }

    mapping(address verifier => VerifierRecord) internal _verifiers;
    /// @dev Every id ever assigned → its verifier (kept after exit, so settled jobs still name their verifier).
    mapping(uint24 id => address) internal _verifierById;
    uint24 private _lastVerifierId;
    address[] internal _verifierList;
    VerifierTerms internal _verifierTerms;

    event VerifierRegistered(address indexed verifier, uint96 stake);
    event VerifierStakeAdded(address indexed verifier, uint96 amount);
    event VerifierExitRequested(address indexed verifier, uint32 exitAt);
    event VerifierExited(address indexed verifier, uint96 amount);
    event VerifierSlashed(uint256 indexed jobId, address indexed verifier, uint96 amount);
    event VerifierPenalized(uint256 indexed jobId, address indexed verifier, uint96 amount);
    event VerifierTermsChanged(VerifierTerms terms);

    error VerifierAlreadyRegistered(address verifier);
    error VerifierNotRegistered(address verifier);
    error VerifierStillBonded(address verifier, uint32 exitAt);
    error NoVerifiers();

    /// @notice Registers the caller as a verifier staking `stake` AIC (at least the minimum).
    function registerVerifier(uint96 stake, Permit calldata permit) external {
        VerifierRecord storage v = _verifiers[msg.sender];
        if (v.registered) revert VerifierAlreadyRegistered(msg.sender);
        uint96 minimum = _verifierTerms.minStake;
        if (stake < minimum || stake == 0) revert StakeBelowMinimum(stake, minimum);
        (v.registered, v.stake, v.listIndex) = (true, stake, uint32(_verifierList.length));
        uint24 id = ++_lastVerifierId;
        v.id = id;
        _verifierById[id] = msg.sender;
        _verifierList.push(msg.sender);
        _totalStaked += stake;
        emit VerifierRegistered(msg.sender, stake);
        _pull(msg.sender, stake, permit);
    }

    /// @notice Adds `amount` AIC to the caller's verifier stake (e.g. back above the minimum after a slash).
    function addVerifierStake(uint96 amount, Permit calldata permit) external {
        VerifierRecord storage v = _requireVerifier(msg.sender);
        v.stake += amount;
        _totalStaked += amount;
        emit VerifierStakeAdded(msg.sender, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Stops being drawn; the stake may be withdrawn after the unbonding period.
    function requestVerifierExit() external {
        VerifierRecord storage v = _requireVerifier(msg.sender);
        if (v.exitAt != 0) revert VerifierStillBonded(msg.sender, v.exitAt);
        v.exitAt = uint32(block.timestamp) + _verifierTerms.unbondingSec;
        emit VerifierExitRequested(msg.sender, v.exitAt);
    }

    /// @notice Withdraws the whole stake once the unbonding period has passed, and deregisters.
    function withdrawVerifierStake() external {
        VerifierRecord storage v = _requireVerifier(msg.sender);
        if (v.exitAt == 0 || block.timestamp < v.exitAt) revert VerifierStillBonded(msg.sender, v.exitAt);
        uint96 amount = v.stake;
        address last = _verifierList[_verifierList.length - 1];
        _verifierList[v.listIndex] = last;
        _verifiers[last].listIndex = v.listIndex;
        _verifierList.pop();
        delete _verifiers[msg.sender];
        _totalStaked -= amount;
        emit VerifierExited(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice Sets the verifier terms. Admin only.
    function setVerifierTerms(VerifierTerms calldata terms) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setVerifierTerms(terms);
    }

    /// @notice A verifier's record.
    function verifierOf(address verifier) external view returns (Verifier memory) {
        VerifierRecord storage v = _verifiers[verifier];
        return Verifier(v.stake, v.listIndex, v.exitAt, v.registered);
    }

    /// @notice Number of registered verifiers (bonded or unbonding).
    function verifierCount() external view returns (uint256) {
        return _verifierList.length;
    }

    /// @notice The verifier at position `index` of the draw's list, and whether it can be drawn now (the dispute
    /// court walks the list with it to seat a committee).
    function drawableVerifierAt(uint256 index) external view returns (address verifier, bool drawable) {
        verifier = _verifierList[index];
        drawable = _isDrawable(_verifiers[verifier]);
    }

    /// @notice The verifier terms in force.
    function verifierTerms() external view returns (VerifierTerms memory) {
        return _verifierTerms;
    }

    /// @dev Drawn by `seed`: the first verifier able to be drawn (bonded, stake ≥ minimum), walking the list from
    /// `seed % count`.
    function _drawVerifier(uint256 seed) internal view returns (address) {
        uint256 n = _verifierList.length;
        uint256 start = n == 0 ? 0 : seed % n;
        for (uint256 i; i < n; ++i) {
            address candidate = _verifierList[(start + i) % n];
            if (_isDrawable(_verifiers[candidate])) return candidate;
        }
        revert NoVerifiers();
    }

    /// @dev A verdict proven wrong: `slashBps` of the verifier's stake, credited to `to`.
    function _slashVerifier(uint256 jobId, address verifier, address to) internal {
        VerifierRecord storage v = _verifiers[verifier];
        uint96 amount = uint96((uint256(v.stake) * _verifierTerms.slashBps) / 10_000);
        _takeStake(v, amount, to);
        emit VerifierSlashed(jobId, verifier, amount);
    }

    /// @dev Silence past the verify window: the stated penalty (or what is left of the stake), credited to `to`.
    function _penalizeSilence(uint256 jobId, address verifier, address to) internal {
        VerifierRecord storage v = _verifiers[verifier];
        uint96 amount = _verifierTerms.silencePenalty < v.stake ? _verifierTerms.silencePenalty : v.stake;
        _takeStake(v, amount, to);
        emit VerifierPenalized(jobId, verifier, amount);
    }

    function _isStakedVerifier(address verifier) internal view returns (bool) {
        VerifierRecord storage v = _verifiers[verifier];
        return v.registered && v.stake >= _verifierTerms.minStake;
    }

    function _setVerifierTerms(VerifierTerms memory terms) internal {
        if (terms.slashBps > 10_000 || terms.minStake == 0) revert InvalidVerifierTerms();
        _verifierTerms = terms;
        emit VerifierTermsChanged(terms);
    }

    error InvalidVerifierTerms();

    function _takeStake(VerifierRecord storage v, uint96 amount, address to) private {
        if (amount == 0) return;
        v.stake -= amount;
        _totalStaked -= amount;
        _credit(to, amount);
    }

    function _isDrawable(VerifierRecord storage v) private view returns (bool) {
        return v.registered && v.exitAt == 0 && v.stake >= _verifierTerms.minStake;
    }

    function _requireVerifier(address verifier) private view returns (VerifierRecord storage v) {
        v = _verifiers[verifier];
        if (!v.registered) revert VerifierNotRegistered(verifier);
    }
}
