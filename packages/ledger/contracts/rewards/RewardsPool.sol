// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {ScoreRounds} from "./ScoreRounds.sol";

/**
 * @title RewardsPool (Proof of Value rewards)
 * @notice Holds the ecosystem-incentive allocation and pays it out per epoch in proportion to verified contribution.
 * No key rates: after an epoch ends, staked raters propose its scores and may challenge a proposal with the scores
 * they recomputed from the chain ({ScoreRounds}); the set backed by the most rater stake when the challenge window
 * closes is applied here, and the raters who backed another set are slashed.
 *
 * Emission is sized to verified value: an epoch releases at most `maxRewardPerScore` wei per score unit (a score unit
 * is a fixed amount of verified usage, so this caps rewards at a share of the usage that earned them); what no
 * verified value supports stays in the pool for later epochs. Accounting: `_reserved` is the AIC owed to contributors
 * and not yet claimed, `_raterStakeTotal` the raters' stake; only the rest (`available`) can be released. Rounding
 * leaves at most one wei per contributor per epoch in the pool (dust, never lost).
 * PoV issuance seam: {fundEmission} lets a future governed issuer add AIC to the pool.
 */
contract RewardsPool is PermitPayments, AccessControl, ReentrancyGuard, ScoreRounds {
    uint256 private constant PRECISION = 1e18;

    struct Account {
        uint128 score; // score in `epoch`, the last epoch that credited this contributor
        uint64 epoch;
    }

    struct EpochInfo {
        uint256 totalScore;
        uint256 rewardPerScore; // AIC wei per score unit, scaled by 1e18; set when the epoch's scores are applied
        uint256 emission; // AIC released to this epoch
    }

    uint64 private immutable _genesis;
    uint32 private immutable _epochDuration;
    uint256 private immutable _maxRewardPerScore;
    uint256 private _emissionPerEpoch;
    uint256 private _reserved;
    mapping(uint256 epoch => EpochInfo) private _epochs;
    mapping(address contributor => Account) private _accounts;
    mapping(address contributor => uint256) private _owed;

    event ScoreRecorded(uint256 indexed epoch, address indexed contributor, uint128 score);
    event ScorePenalized(uint256 indexed epoch, address indexed contributor, uint128 amount);
    event EpochFinalized(uint256 indexed epoch, uint256 totalScore, uint256 emission);
    event RewardClaimed(address indexed contributor, uint256 amount);
    event EmissionFunded(address indexed funder, uint256 amount);
    event EmissionPerEpochChanged(uint256 emissionPerEpoch);
    event Rated(address indexed rater, uint8 indexed kind, uint256 indexed id, uint8 rating);

    error NothingToClaim(address contributor);
    error InvalidRating(uint8 kind, uint8 rating);
    error InvalidEpochDuration();

    /// @param maxRewardPerScore_ Most AIC wei an epoch pays per score unit (0 = no cap).
    constructor(
        IERC20 aic,
        address admin,
        uint32 epochDurationSec,
        uint256 emissionPerEpoch,
        uint256 maxRewardPerScore_,
        RoundParams memory rounds
    ) PermitPayments(aic) ScoreRounds(rounds) {
        if (epochDurationSec == 0) revert InvalidEpochDuration();
        _genesis = uint64(block.timestamp);
        _epochDuration = epochDurationSec;
        _emissionPerEpoch = emissionPerEpoch;
        _maxRewardPerScore = maxRewardPerScore_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------------------------------------ ratings

    /// @notice A consumer rates a resource it used, 0..100 (kind 0 = asset token id, 1 = GPU provider, 2 = storage
    /// provider, the address as the id). Anyone may call it; the rating engine weighs a rating by the fee the rater
    /// paid that resource in the epoch (none: no weight) and clips it to the stake-weighted median of rater stakes.
    function rate(uint8 kind, uint256 id, uint8 rating) external {
        if (kind > 2 || rating > 100) revert InvalidRating(kind, rating);
        emit Rated(msg.sender, kind, id, rating);
    }

    // ----------------------------------------------------------------------------------------------- claiming

    /// @notice Pays the caller every reward of the epochs applied so far.
    function claim() external nonReentrant returns (uint256 amount) {
        amount = _owed[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        _owed[msg.sender] = 0;
        _reserved -= amount;
        emit RewardClaimed(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice Adds AIC to the incentive pool (the seam for a governed PoV issuance, or donations).
    function fundEmission(uint256 amount, Permit calldata permit) external nonReentrant {
        emit EmissionFunded(msg.sender, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Sets the emission of epochs not yet applied. Admin only.
    function setEmissionPerEpoch(uint256 emissionPerEpoch) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _emissionPerEpoch = emissionPerEpoch;
        emit EmissionPerEpochChanged(emissionPerEpoch);
    }

    // -------------------------------------------------------------------------------------------------- views

    /// @notice The current epoch number (0 from deployment).
    function currentEpoch() public view override returns (uint256) {
        return (block.timestamp - _genesis) / _epochDuration;
    }

    /// @notice Genesis timestamp, epoch length and emission per epoch.
    function schedule() external view returns (uint64 genesis, uint32 epochDurationSec, uint256 emissionPerEpoch) {
        return (_genesis, _epochDuration, _emissionPerEpoch);
    }

    /// @notice Most AIC wei an epoch pays per score unit (0 = no cap).
    function maxRewardPerScore() external view returns (uint256) {
        return _maxRewardPerScore;
    }

    /// @notice An epoch's total score, reward rate and emission (zero until its scores are applied).
    function epochInfo(uint256 epoch) external view returns (EpochInfo memory) {
        return _epochs[epoch];
    }

    /// @notice The last epoch that credited a contributor and its score there.
    function accountOf(address contributor) external view returns (Account memory) {
        return _accounts[contributor];
    }

    /// @notice AIC claimable now.
    function claimable(address contributor) external view returns (uint256) {
        return _owed[contributor];
    }

    /// @notice AIC owed to contributors and not yet claimed.
    function reserved() external view returns (uint256) {
        return _reserved;
    }

    /// @notice AIC that future epochs can still release (neither owed nor staked by raters).
    function available() public view returns (uint256) {
        return _aic.balanceOf(address(this)) - _reserved - _raterStakeTotal;
    }

    // ------------------------------------------------------------------------------------------------ private

    /// @dev Applies an epoch's winning score set: releases min(emission, available, cap · total score) pro rata,
    /// then claws back each penalty from the penalized contributor's unclaimed rewards (back to the pool).
    function _applyScores(uint256 epoch, ScoreSet calldata set) internal override {
        uint256 total;
        for (uint256 i = 0; i < set.scores.length; ++i) total += set.scores[i];
        EpochInfo storage info = _epochs[epoch];
        info.totalScore = total;
        if (total != 0) {
            uint256 budget = _emissionPerEpoch < available() ? _emissionPerEpoch : available();
            if (_maxRewardPerScore != 0 && total * _maxRewardPerScore < budget) budget = total * _maxRewardPerScore;
            uint256 rate = (budget * PRECISION) / total;
            uint256 released;
            for (uint256 i = 0; i < set.contributors.length; ++i) {
                uint256 paid = (uint256(set.scores[i]) * rate) / PRECISION;
                _owed[set.contributors[i]] += paid;
                _accounts[set.contributors[i]] = Account(set.scores[i], uint64(epoch));
                released += paid;
                emit ScoreRecorded(epoch, set.contributors[i], set.scores[i]);
            }
            info.rewardPerScore = rate;
            info.emission = released;
            _reserved += released;
        }
        emit EpochFinalized(epoch, total, info.emission);
        for (uint256 i = 0; i < set.penalized.length; ++i) penalize(epoch, set.penalized[i], set.penalties[i]);
    }

    /// @notice Penalty (white paper): takes up to `amount` wei of a contributor's unclaimed rewards back into the
    /// pool. Only reachable through an applied score set, whose raters vouched for it with their stake.
    function penalize(uint256 epoch, address contributor, uint128 amount) private {
        uint256 owed = _owed[contributor];
        uint128 cut = amount > owed ? uint128(owed) : amount;
        _owed[contributor] = owed - cut;
        _reserved -= cut;
        emit ScorePenalized(epoch, contributor, cut);
    }
}
