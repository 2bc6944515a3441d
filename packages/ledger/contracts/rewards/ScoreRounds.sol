// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PermitPayments} from "../shared/PermitPayments.sol";

/**
 * @title ScoreRounds (who decides an epoch's Proof-of-Value scores)
 * @notice After an epoch ends, any staked rater proposes its score set (the Contribution Rating System's output,
 * recomputable by anyone from the chain's events). The first proposal opens a challenge window; during it every
 * other staked rater recomputes and either backs that set or challenges it by proposing the set it computed (the
 * challenge carries the recomputed value). When the window closes, the set with the most backing stake is applied
 * (ties: the earlier one) and every rater who backed another set loses `slashBps` of its stake to the pool. Epochs are
 * applied in order; one nobody proposed for is skipped once the next epoch has ended too.
 *
 * Why a stake vote and not an on-chain check: the rating engine (link graph, payment cycles, stake-weighted medians)
 * is far too large for the EVM; like Yuma consensus, the guarantee is that raters holding less than half the stake
 * cannot change the applied scores and lose stake for trying.
 */
abstract contract ScoreRounds is PermitPayments {
    struct RoundParams {
        uint256 minRaterStake;
        uint32 challengeWindowSec;
        uint16 slashBps;
    }

    /// @notice One epoch's scores (contributors sorted, no duplicates by convention) and penalties in AIC wei.
    struct ScoreSet {
        address[] contributors;
        uint128[] scores;
        address[] penalized;
        uint128[] penalties;
    }

    struct Round {
        bytes32 leader; // the set with the most backing stake so far
        uint256 leaderStake;
        uint64 closesAt; // 0: nobody proposed yet
    }

    struct Rater {
        uint256 stake;
        uint64 backedEpochPlusOne; // 0: backs nothing unsettled
        bytes32 backedSet;
    }

    uint256 private immutable _minRaterStake;
    uint32 private immutable _challengeWindow;
    uint16 private immutable _slashBps;
    uint256 internal _raterStakeTotal;
    uint256 private _nextToApply;
    mapping(uint256 epoch => Round) private _rounds;
    mapping(uint256 epoch => bytes32) private _applied;
    mapping(uint256 epoch => mapping(bytes32 set => uint256)) private _backing;
    mapping(address rater => Rater) private _raters;

    event RaterStaked(address indexed rater, uint256 amount, uint256 stake);
    event RaterUnstaked(address indexed rater, uint256 amount, uint256 stake);
    event RaterSlashed(address indexed rater, uint256 indexed epoch, uint256 amount);
    event ScoresProposed(uint256 indexed epoch, bytes32 indexed setHash, address indexed rater, ScoreSet set);
    event ScoresBacked(uint256 indexed epoch, bytes32 indexed setHash, address indexed rater, uint256 stake);
    event ScoresApplied(uint256 indexed epoch, bytes32 indexed setHash, uint256 backingStake);
    event EpochSkipped(uint256 indexed epoch);

    error NotARater(address account, uint256 stake);
    error EpochNotOpen(uint256 epoch, uint256 nextToApply, uint256 currentEpoch);
    error AlreadyBacked(address rater, uint256 epoch);
    error ChallengeWindowClosed(uint256 epoch, uint64 closedAt);
    error ChallengeWindowOpen(uint256 epoch, uint64 closesAt);
    error NotTheLeadingSet(uint256 epoch, bytes32 leader, bytes32 given);
    error UnknownSet(uint256 epoch, bytes32 setHash);
    error LengthMismatch(uint256 accounts, uint256 amounts);
    error StakeLocked(address rater, uint256 epoch);
    error InsufficientStake(address rater, uint256 stake, uint256 requested);
    error NotSkippable(uint256 epoch);

    constructor(RoundParams memory params) {
        _minRaterStake = params.minRaterStake;
        _challengeWindow = params.challengeWindowSec;
        _slashBps = params.slashBps;
    }

    function currentEpoch() public view virtual returns (uint256);

    /// @dev Credits an epoch's winning set (RewardsPool).
    function _applyScores(uint256 epoch, ScoreSet calldata set) internal virtual;

    // ------------------------------------------------------------------------------------------------ staking

    /// @notice Adds `amount` AIC to the caller's rater stake (a rater needs `minRaterStake` to propose or back).
    function stakeAsRater(uint256 amount, Permit calldata permit) external {
        Rater storage r = _settleRater(msg.sender);
        r.stake += amount;
        _raterStakeTotal += amount;
        emit RaterStaked(msg.sender, amount, r.stake);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Withdraws rater stake; locked while the rater backs a set of an epoch not yet applied.
    function unstakeAsRater(uint256 amount) external {
        Rater storage r = _settleRater(msg.sender);
        if (r.backedEpochPlusOne != 0) revert StakeLocked(msg.sender, r.backedEpochPlusOne - 1);
        if (amount > r.stake) revert InsufficientStake(msg.sender, r.stake, amount);
        r.stake -= amount;
        _raterStakeTotal -= amount;
        emit RaterUnstaked(msg.sender, amount, r.stake);
        _push(msg.sender, amount);
    }

    // ------------------------------------------------------------------------------------------------- rounds

    /// @notice Proposes (or, if the same set was proposed already, backs) `set` as epoch `epoch`'s scores. The first
    /// proposal of an epoch opens its challenge window; a different set during the window is a challenge.
    function proposeScores(uint256 epoch, ScoreSet calldata set) external {
        if (set.contributors.length != set.scores.length) {
            revert LengthMismatch(set.contributors.length, set.scores.length);
        }
        if (set.penalized.length != set.penalties.length) {
            revert LengthMismatch(set.penalized.length, set.penalties.length);
        }
        bytes32 setHash = hashScoreSet(epoch, set);
        Round storage round = _openRound(epoch);
        if (_backing[epoch][setHash] == 0) emit ScoresProposed(epoch, setHash, msg.sender, set);
        _back(epoch, round, setHash);
    }

    /// @notice Backs a set already proposed for `epoch` (cheaper than proposing the same arrays again).
    function backScores(uint256 epoch, bytes32 setHash) external {
        Round storage round = _openRound(epoch);
        if (_backing[epoch][setHash] == 0) revert UnknownSet(epoch, setHash);
        _back(epoch, round, setHash);
    }

    /// @notice Applies the leading set once the challenge window closed (anyone, with the set's arrays).
    function applyScores(uint256 epoch, ScoreSet calldata set) external {
        Round storage round = _rounds[epoch];
        if (epoch != _nextToApply || round.closesAt == 0) revert EpochNotOpen(epoch, _nextToApply, currentEpoch());
        if (block.timestamp < round.closesAt) revert ChallengeWindowOpen(epoch, round.closesAt);
        bytes32 setHash = hashScoreSet(epoch, set);
        if (setHash != round.leader) revert NotTheLeadingSet(epoch, round.leader, setHash);
        _applied[epoch] = setHash;
        _nextToApply = epoch + 1;
        emit ScoresApplied(epoch, setHash, round.leaderStake);
        _applyScores(epoch, set);
    }

    /// @notice Skips an epoch nobody proposed scores for, once the epoch after it has ended too (anyone).
    function skipEpoch(uint256 epoch) external {
        if (epoch != _nextToApply || _rounds[epoch].closesAt != 0 || currentEpoch() < epoch + 2) {
            revert NotSkippable(epoch);
        }
        _nextToApply = epoch + 1;
        emit EpochSkipped(epoch);
    }

    // -------------------------------------------------------------------------------------------------- views

    /// @notice The hash a score set is proposed, backed and applied under.
    function hashScoreSet(uint256 epoch, ScoreSet calldata set) public pure returns (bytes32) {
        return keccak256(abi.encode(epoch, set));
    }

    /// @notice The next epoch whose scores are to be applied.
    function nextEpochToApply() external view returns (uint256) {
        return _nextToApply;
    }

    /// @notice An epoch's round: leading set, its backing stake, when the window closes, and the applied set.
    function roundOf(uint256 epoch) external view returns (Round memory round, bytes32 applied) {
        return (_rounds[epoch], _applied[epoch]);
    }

    /// @notice Stake backing one set of an epoch.
    function backingOf(uint256 epoch, bytes32 setHash) external view returns (uint256) {
        return _backing[epoch][setHash];
    }

    /// @notice A rater's stake (after any slash already due) and what it backs.
    function raterOf(address rater) external view returns (Rater memory r) {
        r = _raters[rater];
        if (r.backedEpochPlusOne != 0 && r.backedEpochPlusOne - 1 < _nextToApply) {
            if (_applied[r.backedEpochPlusOne - 1] != r.backedSet) r.stake -= (r.stake * _slashBps) / 10_000;
            r.backedEpochPlusOne = 0;
            r.backedSet = bytes32(0);
        }
    }

    /// @notice Minimum rater stake, challenge window and slash share.
    function roundParams() external view returns (RoundParams memory) {
        return RoundParams(_minRaterStake, _challengeWindow, _slashBps);
    }

    // ------------------------------------------------------------------------------------------------ private

    function _openRound(uint256 epoch) private returns (Round storage round) {
        uint256 current = currentEpoch();
        if (epoch != _nextToApply || epoch >= current) revert EpochNotOpen(epoch, _nextToApply, current);
        round = _rounds[epoch];
        if (round.closesAt == 0) round.closesAt = uint64(block.timestamp) + _challengeWindow;
        else if (block.timestamp >= round.closesAt) revert ChallengeWindowClosed(epoch, round.closesAt);
    }

    function _back(uint256 epoch, Round storage round, bytes32 setHash) private {
        Rater storage r = _settleRater(msg.sender);
        if (r.stake < _minRaterStake || r.stake == 0) revert NotARater(msg.sender, r.stake);
        if (r.backedEpochPlusOne != 0) revert AlreadyBacked(msg.sender, r.backedEpochPlusOne - 1);
        r.backedEpochPlusOne = uint64(epoch + 1);
        r.backedSet = setHash;
        uint256 backing = _backing[epoch][setHash] + r.stake;
        _backing[epoch][setHash] = backing;
        if (backing > round.leaderStake) {
            round.leader = setHash;
            round.leaderStake = backing;
        }
        emit ScoresBacked(epoch, setHash, msg.sender, r.stake);
    }

    /// @dev Slashes a rater that backed a set which was not applied (lazily, on its next action) and frees it.
    function _settleRater(address rater) private returns (Rater storage r) {
        r = _raters[rater];
        if (r.backedEpochPlusOne == 0) return r;
        uint256 epoch = r.backedEpochPlusOne - 1;
        if (epoch >= _nextToApply) return r;
        if (_applied[epoch] != r.backedSet) {
            uint256 cut = (r.stake * _slashBps) / 10_000;
            r.stake -= cut;
            _raterStakeTotal -= cut; // the cut stays in the contract as emission for later epochs
            emit RaterSlashed(rater, epoch, cut);
        }
        r.backedEpochPlusOne = 0;
        r.backedSet = bytes32(0);
    }
}
