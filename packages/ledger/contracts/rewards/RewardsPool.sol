// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";

/**
 * @title RewardsPool (Proof of Value rewards)
 * @notice Holds the ecosystem-incentive allocation and pays it out per epoch in proportion to verified contribution.
 * The Contribution Rating System (RATER_ROLE) posts scores as verified events happen; each epoch's emission is split
 * pro rata to that epoch's scores through a reward-per-score rate fixed when the epoch is finalized (O(1) per score
 * event and per claim). Contributors claim (pull).
 *
 * Accounting: `_reserved` is the AIC promised to finalized epochs and not yet claimed; only the rest (`available`) can
 * be promised to new epochs, so every claim is always covered. An epoch with no score releases nothing: its emission
 * stays in the pool. Rounding leaves at most one wei per contributor per epoch in the pool (dust, never lost).
 * PoV issuance seam: {fundEmission} lets a future governed issuer add AIC to the pool.
 */
contract RewardsPool is PermitPayments, AccessControl, ReentrancyGuard {
    bytes32 public constant RATER_ROLE = keccak256("RATER_ROLE");
    /// @notice Most epochs finalized inside one call; {finalizeEpochs} catches up after a longer silence.
    uint256 public constant MAX_FINALIZE_PER_CALL = 64;
    uint256 private constant PRECISION = 1e18;

    struct Account {
        uint128 score; // score in `epoch`, not yet converted to AIC
        uint64 epoch;
    }

    struct EpochInfo {
        uint256 totalScore;
        uint256 rewardPerScore; // AIC wei per score unit, scaled by 1e18; set at finalization
        uint256 emission; // AIC released to this epoch
    }

    uint64 private immutable _genesis;
    uint32 private immutable _epochDuration;
    uint256 private _emissionPerEpoch;
    uint256 private _reserved;
    uint256 private _nextToFinalize;
    mapping(uint256 epoch => EpochInfo) private _epochs;
    mapping(address contributor => Account) private _accounts;
    mapping(address contributor => uint256) private _owed;

    event ScoreRecorded(uint256 indexed epoch, address indexed contributor, uint128 score);
    event ScorePenalized(uint256 indexed epoch, address indexed contributor, uint128 amount);
    event EpochFinalized(uint256 indexed epoch, uint256 totalScore, uint256 emission);
    event RewardClaimed(address indexed contributor, uint256 amount);
    event EmissionFunded(address indexed funder, uint256 amount);
    event EmissionPerEpochChanged(uint256 emissionPerEpoch);

    error LengthMismatch(uint256 contributors, uint256 scores);
    error FinalizationBacklog(uint256 nextToFinalize, uint256 currentEpoch);
    error NothingToClaim(address contributor);
    error InvalidEpochDuration();

    constructor(IERC20 aic, address admin, uint32 epochDurationSec, uint256 emissionPerEpoch) PermitPayments(aic) {
        if (epochDurationSec == 0) revert InvalidEpochDuration();
        _genesis = uint64(block.timestamp);
        _epochDuration = epochDurationSec;
        _emissionPerEpoch = emissionPerEpoch;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ------------------------------------------------------------------------------------------------- rating

    /// @notice Adds verified-contribution scores for the current epoch. RATER_ROLE only.
    function postScores(address[] calldata contributors, uint128[] calldata scores) external onlyRole(RATER_ROLE) {
        if (contributors.length != scores.length) revert LengthMismatch(contributors.length, scores.length);
        uint256 epoch = _finalizeThroughPrevious();
        uint256 added;
        for (uint256 i = 0; i < contributors.length; ++i) {
            Account storage acc = _touch(contributors[i], epoch);
            acc.score += scores[i];
            added += scores[i];
            emit ScoreRecorded(epoch, contributors[i], scores[i]);
        }
        _epochs[epoch].totalScore += added;
    }

    /// @notice Lowers a contributor's score in the current epoch (penalty). RATER_ROLE only.
    function penalize(address contributor, uint128 amount) external onlyRole(RATER_ROLE) {
        uint256 epoch = _finalizeThroughPrevious();
        Account storage acc = _touch(contributor, epoch);
        uint128 cut = amount > acc.score ? acc.score : amount;
        acc.score -= cut;
        _epochs[epoch].totalScore -= cut;
        emit ScorePenalized(epoch, contributor, cut);
    }

    // ----------------------------------------------------------------------------------------------- claiming

    /// @notice Pays the caller every reward of finalized epochs.
    function claim() external nonReentrant returns (uint256 amount) {
        uint256 epoch = _finalizeThroughPrevious();
        _touch(msg.sender, epoch);
        amount = _owed[msg.sender];
        if (amount == 0) revert NothingToClaim(msg.sender);
        _owed[msg.sender] = 0;
        _reserved -= amount;
        emit RewardClaimed(msg.sender, amount);
        _push(msg.sender, amount);
    }

    /// @notice Finalizes up to `maxEpochs` ended epochs (anyone; only needed after a long silence).
    function finalizeEpochs(uint256 maxEpochs) external {
        _finalize(currentEpoch(), maxEpochs);
    }

    /// @notice Adds AIC to the incentive pool (the seam for a governed PoV issuance, or donations).
    function fundEmission(uint256 amount, Permit calldata permit) external nonReentrant {
        emit EmissionFunded(msg.sender, amount);
        _pull(msg.sender, amount, permit);
    }

    /// @notice Sets the emission of epochs not yet finalized. Admin only.
    function setEmissionPerEpoch(uint256 emissionPerEpoch) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _emissionPerEpoch = emissionPerEpoch;
        emit EmissionPerEpochChanged(emissionPerEpoch);
    }

    // -------------------------------------------------------------------------------------------------- views

    /// @notice The current epoch number (0 from deployment).
    function currentEpoch() public view returns (uint256) {
        return (block.timestamp - _genesis) / _epochDuration;
    }

    /// @notice Genesis timestamp, epoch length and emission per epoch.
    function schedule() external view returns (uint64 genesis, uint32 epochDurationSec, uint256 emissionPerEpoch) {
        return (_genesis, _epochDuration, _emissionPerEpoch);
    }

    /// @notice An epoch's total score, reward rate and emission (rate and emission are zero until finalized).
    function epochInfo(uint256 epoch) external view returns (EpochInfo memory) {
        return _epochs[epoch];
    }

    /// @notice A contributor's unconverted score and its epoch.
    function accountOf(address contributor) external view returns (Account memory) {
        return _accounts[contributor];
    }

    /// @notice AIC claimable now from finalized epochs (an ended but unfinalized epoch counts once finalized).
    function claimable(address contributor) external view returns (uint256) {
        Account memory acc = _accounts[contributor];
        uint256 pending;
        if (acc.score != 0 && acc.epoch < _nextToFinalize) {
            pending = (uint256(acc.score) * _epochs[acc.epoch].rewardPerScore) / PRECISION;
        }
        return _owed[contributor] + pending;
    }

    /// @notice AIC promised to finalized epochs and not yet claimed.
    function reserved() external view returns (uint256) {
        return _reserved;
    }

    /// @notice AIC that future epochs can still release.
    function available() public view returns (uint256) {
        return _aic.balanceOf(address(this)) - _reserved;
    }

    // ------------------------------------------------------------------------------------------------ private

    /// @dev Finalizes every ended epoch and returns the current one; reverts if more than MAX_FINALIZE_PER_CALL are
    /// pending, so a caller never converts a score against an unfinalized epoch.
    function _finalizeThroughPrevious() private returns (uint256 epoch) {
        epoch = currentEpoch();
        _finalize(epoch, MAX_FINALIZE_PER_CALL);
        if (_nextToFinalize < epoch) revert FinalizationBacklog(_nextToFinalize, epoch);
    }

    function _finalize(uint256 currentEpoch_, uint256 maxEpochs) private {
        uint256 e = _nextToFinalize;
        uint256 stop = currentEpoch_ < e + maxEpochs ? currentEpoch_ : e + maxEpochs;
        for (; e < stop; ++e) {
            EpochInfo storage info = _epochs[e];
            if (info.totalScore == 0) continue;
            uint256 free = available();
            uint256 budget = _emissionPerEpoch < free ? _emissionPerEpoch : free;
            uint256 rate = (budget * PRECISION) / info.totalScore;
            // What the rate can pay out in total (≤ budget); the remainder is dust that stays in the pool.
            uint256 emission = (rate * info.totalScore) / PRECISION;
            info.rewardPerScore = rate;
            info.emission = emission;
            _reserved += emission;
            emit EpochFinalized(e, info.totalScore, emission);
        }
        if (stop > _nextToFinalize) _nextToFinalize = stop;
    }

    /// @dev Converts a score from a finalized earlier epoch into owed AIC and moves the account to `epoch`.
    function _touch(address contributor, uint256 epoch) private returns (Account storage acc) {
        acc = _accounts[contributor];
        if (acc.epoch != epoch) {
            if (acc.score != 0) {
                _owed[contributor] += (uint256(acc.score) * _epochs[acc.epoch].rewardPerScore) / PRECISION;
                acc.score = 0;
            }
            acc.epoch = uint64(epoch);
        }
    }
}
