// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @dev The token side the issuer needs: AICToken's sole-minter mint.
interface IAICMintable {
    function mint(address to, uint256 amount) external;
}

/// @dev The RewardsPool side: epoch clock, which epochs are settled, and each settled epoch's verified value.
interface IRewardsEpochs {
    struct EpochInfo {
        uint256 totalScore;
        uint256 rewardPerScore;
        uint256 emission;
    }

    function currentEpoch() external view returns (uint256);
    function nextEpochToApply() external view returns (uint256);
    function epochInfo(uint256 epoch) external view returns (EpochInfo memory);
}

/**
 * @title AICIssuer (extra issuance, the white paper's 追加发行)
 * @notice After the main-net switch, mints new AIC per RewardsPool epoch into the RewardsPool, in proportion to the
 * epoch's verified value and capped by a published schedule; governance switches it on and off. It is AICToken's sole
 * minter, so nothing else can mint.
 *
 * Verified value: an epoch's total score as applied in the RewardsPool (a score unit is a fixed amount of verified
 * usage, agreed by the staked raters), known once the epoch's scores are applied (or the epoch skipped, total 0).
 *
 * The rule: epoch e mints exactly min(cap(e), totalScore(e) · weiPerScore) into the RewardsPool, once, when
 *  - issuance is on at the call, and e is at or after the epoch that was in progress when it was last switched on
 *    (epochs that ended while it was off never mint, not even after it is switched on again), and
 *  - e's scores are settled in the RewardsPool (e < nextEpochToApply: it ended and its challenge window closed).
 * Anyone may call {issue}. The schedule is published once and is immutable: cap(e) = stepCaps[(e - startEpoch) /
 * epochsPerStep] for startEpoch ≤ e < startEpoch + epochsPerStep · stepCaps.length, else 0 (a decaying table, so
 * the total ever issued is at most Σ stepCaps · epochsPerStep; see {maxTotalIssuance}).
 */
contract AICIssuer is AccessControl {
    /// @notice Switches issuance and publishes the schedule.
    bytes32 public constant GOVERNOR_ROLE = keccak256("GOVERNOR_ROLE");

    struct Schedule {
        uint64 startEpoch; // first epoch with a cap
        uint32 epochsPerStep; // epochs per table row
        uint256 weiPerScore; // AIC wei minted per unit of verified value (score)
        uint256[] stepCaps; // per-epoch cap of each row, AIC wei
    }

    IAICMintable public immutable token;
    IRewardsEpochs public immutable pool;

    Schedule private _schedule;
    bool private _published;
    bool private _on;
    uint256 private _onFrom;
    uint256 private _totalIssued;
    mapping(uint256 epoch => bool) private _issued;

    event SchedulePublished(uint64 startEpoch, uint32 epochsPerStep, uint256 weiPerScore, uint256[] stepCaps);
    event IssuanceSwitched(bool on, uint256 fromEpoch);
    event Issued(uint256 indexed epoch, uint256 verifiedScore, uint256 cap, uint256 amount);

    error IssuerZeroAddress();
    error IssuerScheduleAlreadyPublished();
    error IssuerScheduleNotPublished();
    error IssuerInvalidSchedule();
    error IssuerOff();
    error IssuerEpochBeforeSwitchOn(uint256 epoch, uint256 onFrom);
    error IssuerEpochNotSettled(uint256 epoch, uint256 nextToApply);
    error IssuerAlreadyIssued(uint256 epoch);

    constructor(IAICMintable token_, IRewardsEpochs pool_, address governor) {
        if (address(token_) == address(0) || address(pool_) == address(0) || governor == address(0)) {
            revert IssuerZeroAddress();
        }
        token = token_;
        pool = pool_;
        _grantRole(DEFAULT_ADMIN_ROLE, governor);
        _grantRole(GOVERNOR_ROLE, governor);
    }

    // ------------------------------------------------------------------------------------------------ governance

    /// @notice Publishes the schedule, once; it can never change afterwards (issuance stays off until switched on).
    function publishSchedule(Schedule calldata schedule_) external onlyRole(GOVERNOR_ROLE) {
        if (_published) revert IssuerScheduleAlreadyPublished();
        if (schedule_.epochsPerStep == 0 || schedule_.stepCaps.length == 0 || schedule_.stepCaps.length > 256) {
            revert IssuerInvalidSchedule();
        }
        _schedule = schedule_;
        _published = true;
        emit SchedulePublished(
            schedule_.startEpoch, schedule_.epochsPerStep, schedule_.weiPerScore, schedule_.stepCaps
        );
    }

    /// @notice Switches issuance on or off. Switching on makes the epoch in progress the first one that can mint.
    function setIssuing(bool on) external onlyRole(GOVERNOR_ROLE) {
        if (on && !_published) revert IssuerScheduleNotPublished();
        if (on == _on) return;
        _on = on;
        if (on) _onFrom = pool.currentEpoch();
        emit IssuanceSwitched(on, _onFrom);
    }

    // ------------------------------------------------------------------------------------------------ issuing

    /// @notice Mints epoch `epoch`'s issuance into the RewardsPool (anyone; see the rule above). Returns the amount.
    function issue(uint256 epoch) external returns (uint256 amount) {
        if (!_on) revert IssuerOff();
        if (epoch < _onFrom) revert IssuerEpochBeforeSwitchOn(epoch, _onFrom);
        if (_issued[epoch]) revert IssuerAlreadyIssued(epoch);
        uint256 next = pool.nextEpochToApply();
        if (epoch >= next) revert IssuerEpochNotSettled(epoch, next);
        _issued[epoch] = true;
        uint256 score = pool.epochInfo(epoch).totalScore;
        uint256 cap = capOf(epoch);
        amount = _proportional(score, cap);
        _totalIssued += amount;
        emit Issued(epoch, score, cap, amount);
        if (amount != 0) token.mint(address(pool), amount);
    }

    // -------------------------------------------------------------------------------------------------- views

    /// @notice The schedule's cap for `epoch` (0 before its start, after its table, or while unpublished).
    function capOf(uint256 epoch) public view returns (uint256) {
        Schedule storage s = _schedule;
        if (!_published || epoch < s.startEpoch) return 0;
        uint256 row = (epoch - s.startEpoch) / s.epochsPerStep;
        return row < s.stepCaps.length ? s.stepCaps[row] : 0;
    }

    /// @notice What {issue} would mint for `epoch` given its verified value now (ignores the switch and settlement).
    function amountFor(uint256 epoch) external view returns (uint256) {
        return _proportional(pool.epochInfo(epoch).totalScore, capOf(epoch));
    }

    /// @notice The most the schedule can ever mint: Σ stepCaps · epochsPerStep.
    function maxTotalIssuance() external view returns (uint256 total) {
        for (uint256 i = 0; i < _schedule.stepCaps.length; ++i) total += _schedule.stepCaps[i];
        total *= _schedule.epochsPerStep;
    }

    function schedule() external view returns (Schedule memory, bool published) {
        return (_schedule, _published);
    }

    /// @notice Whether issuance is on, and the first epoch that can mint since it was last switched on.
    function issuing() external view returns (bool on, uint256 fromEpoch) {
        return (_on, _onFrom);
    }

    function issued(uint256 epoch) external view returns (bool) {
        return _issued[epoch];
    }

    function totalIssued() external view returns (uint256) {
        return _totalIssued;
    }

    /// @dev min(cap, score · weiPerScore) without overflowing the product.
    function _proportional(uint256 score, uint256 cap) private view returns (uint256) {
        uint256 rate = _schedule.weiPerScore;
        if (rate == 0 || score == 0) return 0;
        if (score > cap / rate) return cap;
        uint256 amount = score * rate;
        return amount < cap ? amount : cap;
    }
}
