// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {ComputeMarket} from "./ComputeMarket.sol";
import {IDisputeCourt} from "./IDisputeCourt.sol";
import {Job, JobState} from "./JobTypes.sol";

/**
 * @title DisputeCourt
 * @notice Disputes of ComputeMarket jobs decided by a referee committee drawn from the staked verifiers (DESIGN.md §7,
 * issue 15). When a job becomes Disputed (a verifier flagged it, or a staked verifier challenged a passed result) the
 * market opens a case here. Anyone may then draw the committee — `committeeSize` drawable verifiers, walking the
 * market's verifier list from a seed taken from the hash of the block after the case opened, skipping the provider,
 * the job's verifier and the challenger. Each referee re-runs the disputed segments over the network and votes
 * within `voteWindowSec`; once all voted or the window passed anyone may rule: the provider cheated iff more votes
 * say so than not (ties and silence: not proven). The loser (the provider, or the challenger) may appeal once within
 * `appealWindowSec`, with `appealBond` AIC, to a committee twice the size drawn fresh (the first committee excluded);
 * the appeal's majority is final. Without an appeal the first ruling is executed after the window.
 *
 * Execution calls back into the market: the dispute's loser is slashed there (provider, or the verifier whose verdict
 * was wrong, as ComputeMarket.resolveDispute does), referees who voted against the final ruling and a challenger whose
 * challenge failed lose the verifier slash share, silent referees pay the silence penalty (all to the treasury). The
 * appeal bond goes back to an appellant who won; a losing appellant's bond is split among the appeal referees who
 * voted with the final ruling (to the treasury if none did).
 *
 * While fewer drawable verifiers exist than a committee needs, the case waits (drawCommittee reverts
 * NotEnoughReferees); only then may the market's ARBITER_ROLE rule it directly ({fallbackOpen}), a stated fallback
 * for small networks.
 */
contract DisputeCourt is IDisputeCourt, PermitPayments, AccessControl {
    enum Vote {
        None,
        Honest,
        Cheated
    }

    struct Terms {
        uint8 committeeSize; // referees of a first committee (an appeal draws twice as many)
        uint32 voteWindowSec; // time a drawn committee has to vote
        uint32 appealWindowSec; // time the first ruling's loser has to appeal
        uint96 appealBond; // AIC an appellant puts up
    }

    struct Case {
        address challenger;
        uint32 seedBlock; // the block whose successor's hash draws the current round's committee
        uint32 voteEnds; // 0 while the current round's committee is not drawn
        uint32 appealEnds; // set when the first round is ruled
        uint8 round; // 1 = first committee, 2 = appeal; 0 = no case
        bool firstRuling; // providerCheated, as the first committee ruled
        bool ruled; // the first round is ruled
        bool closed; // executed (or ruled by the fallback)
        address appellant;
        uint96 bond;
    }

    ComputeMarket public immutable market;
    Terms private _terms;
    mapping(uint256 jobId => Case) private _cases;
    mapping(uint256 jobId => mapping(uint8 round => address[])) private _seats;
    mapping(uint256 jobId => mapping(uint8 round => mapping(address referee => Vote))) private _votes;

    event CaseOpened(uint256 indexed jobId, address indexed challenger, uint8 round);
    event CommitteeDrawn(uint256 indexed jobId, uint8 round, address[] referees, uint32 voteEnds);
    event RefereeVoted(uint256 indexed jobId, uint8 round, address indexed referee, bool providerCheated);
    event CaseRuled(uint256 indexed jobId, uint8 round, bool providerCheated, uint16 cheatedVotes, uint16 honestVotes);
    event CaseAppealed(uint256 indexed jobId, address indexed appellant, uint96 bond);
    event CaseClosed(uint256 indexed jobId, bool providerCheated, address rightVerifier);
    event TermsChanged(Terms terms);

    error NotMarket(address caller);
    error CaseExists(uint256 jobId);
    error NoCase(uint256 jobId);
    error CaseIsClosed(uint256 jobId);
    error AlreadyDrawn(uint256 jobId, uint8 round);
    error NotDrawn(uint256 jobId, uint8 round);
    error SeedNotReady(uint256 jobId, uint256 seedBlock);
    error NotEnoughReferees(uint256 jobId, uint256 found, uint256 needed);
    error NotReferee(uint256 jobId, address caller);
    error AlreadyVoted(uint256 jobId, address referee);
    error VoteWindowClosed(uint256 jobId, uint32 voteEnds);
    error VoteWindowOpen(uint256 jobId, uint32 voteEnds);
    error AlreadyRuled(uint256 jobId);
    error NotRuled(uint256 jobId);
    error AppealWindowClosed(uint256 jobId, uint32 appealEnds);
    error AppealWindowOpen(uint256 jobId, uint32 appealEnds);
    error AlreadyAppealed(uint256 jobId);
    error NotLoser(uint256 jobId, address caller);
    error InvalidTerms();

    constructor(IERC20 aic, ComputeMarket market_, address admin, Terms memory terms_) PermitPayments(aic) {
        market = market_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _setTerms(terms_);
    }

    // ---------------------------------------------------------------------------------------------------- market

    /// @notice Opens the case of a job the market just put in Disputed (the market only).
    function open(uint256 jobId, address challenger) external {
        if (msg.sender != address(market)) revert NotMarket(msg.sender);
        Case storage c = _cases[jobId];
        if (c.round != 0) revert CaseExists(jobId);
        (c.challenger, c.seedBlock, c.round) = (challenger, uint32(block.number), 1);
        emit CaseOpened(jobId, challenger, 1);
    }

    /// @notice Whether the market's ARBITER_ROLE may rule the job's dispute: no case here, or a first round whose
    /// committee is not drawn and cannot be (fewer drawable verifiers outside the parties than a committee needs).
    function fallbackOpen(uint256 jobId) external view returns (bool) {
        Case storage c = _cases[jobId];
        if (c.round == 0) return true;
        if (c.closed || c.round != 1 || c.voteEnds != 0) return false;
        (, uint256 found) = _walk(jobId, c, 0, _terms.committeeSize);
        return found < _terms.committeeSize;
    }

    // ---------------------------------------------------------------------------------------------------- anyone

    /// @notice Draws the current round's committee (anyone, from the block after the case opened or was appealed).
    function drawCommittee(uint256 jobId) external {
        Case storage c = _openCase(jobId);
        if (c.voteEnds != 0) revert AlreadyDrawn(jobId, c.round);
        // Ruled by the fallback meanwhile (possible only before a first committee is drawn): nothing left to hear.
        if (market.jobOf(jobId).state != JobState.Disputed) revert CaseIsClosed(jobId);
        uint256 size = _sizeOf(c.round);
        if (block.number <= uint256(c.seedBlock) + 1) revert SeedNotReady(jobId, uint256(c.seedBlock) + 1);
        bytes32 h = blockhash(uint256(c.seedBlock) + 1);
        // Older than 256 blocks: the newest hash instead (nobody could steer a case left that long; as in the market).
        if (h == bytes32(0)) h = blockhash(block.number - 1);
        (address[] memory seats, uint256 found) = _walk(jobId, c, uint256(keccak256(abi.encode(h, jobId, c.round))), size);
        if (found < size) revert NotEnoughReferees(jobId, found, size);
        _seats[jobId][c.round] = seats;
        c.voteEnds = uint32(block.timestamp) + _terms.voteWindowSec;
        emit CommitteeDrawn(jobId, c.round, seats, c.voteEnds);
    }

    /// @notice A drawn referee's vote, within the vote window: did the provider cheat?
    function vote(uint256 jobId, bool providerCheated) external {
        Case storage c = _openCase(jobId);
        uint8 round = c.round;
        if (c.voteEnds == 0) revert NotDrawn(jobId, round);
        if (block.timestamp > c.voteEnds) revert VoteWindowClosed(jobId, c.voteEnds);
        if (round == 1 && c.ruled) revert AlreadyRuled(jobId);
        if (!_isSeated(jobId, round, msg.sender)) revert NotReferee(jobId, msg.sender);
        mapping(address => Vote) storage votes = _votes[jobId][round];
        if (votes[msg.sender] != Vote.None) revert AlreadyVoted(jobId, msg.sender);
        votes[msg.sender] = providerCheated ? Vote.Cheated : Vote.Honest;
        emit RefereeVoted(jobId, round, msg.sender, providerCheated);
    }

    /// @notice Rules the current round once every referee voted or the vote window passed (anyone). The first
    /// round's ruling opens the appeal window; the appeal's is final and executed at once.
    function rule(uint256 jobId) external {
        Case storage c = _openCase(jobId);
        uint8 round = c.round;
        if (c.voteEnds == 0) revert NotDrawn(jobId, round);
        if (round == 1 && c.ruled) revert AlreadyRuled(jobId);
        (uint256 cheated, uint256 honest) = _tally(jobId, round);
        uint256 seats = _seats[jobId][round].length;
        if (cheated + honest < seats && block.timestamp <= c.voteEnds) revert VoteWindowOpen(jobId, c.voteEnds);
        bool providerCheated = cheated > honest;
        emit CaseRuled(jobId, round, providerCheated, uint16(cheated), uint16(honest));
        if (round == 1) {
            (c.ruled, c.firstRuling) = (true, providerCheated);
            c.appealEnds = uint32(block.timestamp) + _terms.appealWindowSec;
        } else {
            _execute(jobId, c, providerCheated);
        }
    }

    /// @notice Executes an unappealed first ruling once the appeal window passed (anyone).
    function execute(uint256 jobId) external {
        Case storage c = _openCase(jobId);
        if (!c.ruled) revert NotRuled(jobId);
        if (c.round != 1) revert AlreadyAppealed(jobId);
        if (block.timestamp <= c.appealEnds) revert AppealWindowOpen(jobId, c.appealEnds);
        _execute(jobId, c, c.firstRuling);
    }

    /// @notice The first ruling's loser (the provider if ruled cheating, else the challenger) appeals once, within the
    /// appeal window, putting up the appeal bond; a committee twice the size is drawn from the next block's hash.
    function appeal(uint256 jobId, Permit calldata permit) external {
        Case storage c = _openCase(jobId);
        if (!c.ruled) revert NotRuled(jobId);
        if (c.round != 1) revert AlreadyAppealed(jobId);
        if (block.timestamp > c.appealEnds) revert AppealWindowClosed(jobId, c.appealEnds);
        address loser = c.firstRuling ? market.jobOf(jobId).provider : c.challenger;
        if (msg.sender != loser) revert NotLoser(jobId, msg.sender);
        uint96 bond = _terms.appealBond;
        (c.round, c.seedBlock, c.voteEnds, c.appellant, c.bond) = (2, uint32(block.number), 0, msg.sender, bond);
        // An appeal that could never be heard must not stop the first ruling: refuse it now.
        (, uint256 found) = _walk(jobId, c, 0, _sizeOf(2));
        if (found < _sizeOf(2)) revert NotEnoughReferees(jobId, found, _sizeOf(2));
        emit CaseAppealed(jobId, msg.sender, bond);
        _pull(msg.sender, bond, permit);
    }

    // ---------------------------------------------------------------------------------------------------- views

    /// @notice A job's case (round 0: none).
    function caseOf(uint256 jobId) external view returns (Case memory) {
        return _cases[jobId];
    }

    /// @notice The committee of a case's round (empty until drawn).
    function committeeOf(uint256 jobId, uint8 round) external view returns (address[] memory) {
        return _seats[jobId][round];
    }

    /// @notice A referee's vote in a round (None, Honest or Cheated).
    function voteOf(uint256 jobId, uint8 round, address referee) external view returns (Vote) {
        return _votes[jobId][round][referee];
    }

    /// @notice The court's terms.
    function terms() external view returns (Terms memory) {
        return _terms;
    }

    /// @notice Sets the court's terms (admin; open cases keep their drawn committees).
    function setTerms(Terms calldata terms_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setTerms(terms_);
    }

    // ---------------------------------------------------------------------------------------------------- private

    function _execute(uint256 jobId, Case storage c, bool providerCheated) private {
        c.closed = true;
        Job memory job = market.jobOf(jobId);
        uint8 last = c.round;
        // Referees against the final ruling (either round) are wrong; seats that never voted were silent.
        (address[] memory wrong, uint256 nWrong) = (new address[](_sizeOf(1) + _sizeOf(2) + 1), 0);
        (address[] memory silent, uint256 nSilent) = (new address[](_sizeOf(1) + _sizeOf(2)), 0);
        Vote loss = providerCheated ? Vote.Honest : Vote.Cheated;
        for (uint8 round = 1; round <= last; ++round) {
            address[] storage seats = _seats[jobId][round];
            for (uint256 i; i < seats.length; ++i) {
                Vote v = _votes[jobId][round][seats[i]];
                if (v == loss) wrong[nWrong++] = seats[i];
                else if (v == Vote.None) silent[nSilent++] = seats[i];
            }
        }
        // A challenger whose challenge failed pays as a wrong verdict would (the job's own verifier is slashed by
        // the market when its verdict was the wrong one).
        if (!providerCheated && c.challenger != job.verifier) wrong[nWrong++] = c.challenger;
        assembly ("memory-safe") {
            mstore(wrong, nWrong)
            mstore(silent, nSilent)
        }
        address right = _rightVerifier(jobId, c, job, providerCheated, last);
        emit CaseClosed(jobId, providerCheated, right);
        market.resolveDispute(jobId, providerCheated, right);
        market.penalizeReferees(jobId, wrong, silent);
        _settleBond(jobId, c, providerCheated, loss);
    }

    /// @dev Who the market pays the verifier fee (and, for a cheat, its share of the slashed stake): the challenger
    /// that proved a cheat; for an honest result the verifier that passed it, or else a referee that voted honest.
    function _rightVerifier(uint256 jobId, Case storage c, Job memory job, bool providerCheated, uint8 last)
        private
        view
        returns (address)
    {
        if (providerCheated) return c.challenger;
        if (job.verdictValid) return job.verifier;
        address[] storage seats = _seats[jobId][last];
        for (uint256 i; i < seats.length; ++i) {
            if (_votes[jobId][last][seats[i]] == Vote.Honest) return seats[i];
        }
        return job.verifier;
    }

    function _settleBond(uint256 jobId, Case storage c, bool providerCheated, Vote loss) private {
        uint96 bond = c.bond;
        if (bond == 0) return;
        c.bond = 0;
        if (providerCheated != c.firstRuling) return _push(c.appellant, bond); // the appeal reversed the ruling
        address[] storage seats = _seats[jobId][2];
        address[] memory winners = new address[](seats.length);
        uint256 n;
        for (uint256 i; i < seats.length; ++i) {
            Vote v = _votes[jobId][2][seats[i]];
            if (v != Vote.None && v != loss) winners[n++] = seats[i];
        }
        (, address treasury) = market.params();
        if (n == 0) return _push(treasury, bond);
        uint256 share = bond / n;
        for (uint256 i; i < n; ++i) _push(winners[i], share);
        _push(treasury, bond - share * n);
    }

    /// @dev The first `size` drawable verifiers from `seed % count`, skipping the parties and (in an appeal) the
    /// first committee; `found` says how many there were (fewer than `size`: the committee cannot be drawn).
    function _walk(uint256 jobId, Case storage c, uint256 seed, uint256 size)
        private
        view
        returns (address[] memory seats, uint256 found)
    {
        Job memory job = market.jobOf(jobId);
        uint256 n = market.verifierCount();
        seats = new address[](size);
        uint256 start = n == 0 ? 0 : seed % n;
        for (uint256 i; i < n && found < size; ++i) {
            (address v, bool drawable) = market.drawableVerifierAt((start + i) % n);
            if (!drawable || v == job.provider || v == job.verifier || v == c.challenger) continue;
            if (c.round == 2 && _isSeated(jobId, 1, v)) continue;
            seats[found++] = v;
        }
    }

    function _tally(uint256 jobId, uint8 round) private view returns (uint256 cheated, uint256 honest) {
        address[] storage seats = _seats[jobId][round];
        for (uint256 i; i < seats.length; ++i) {
            Vote v = _votes[jobId][round][seats[i]];
            if (v == Vote.Cheated) ++cheated;
            else if (v == Vote.Honest) ++honest;
        }
    }

    function _isSeated(uint256 jobId, uint8 round, address who) private view returns (bool) {
        address[] storage seats = _seats[jobId][round];
        for (uint256 i; i < seats.length; ++i) {
            if (seats[i] == who) return true;
        }
        return false;
    }

    function _openCase(uint256 jobId) private view returns (Case storage c) {
        c = _cases[jobId];
        if (c.round == 0) revert NoCase(jobId);
        if (c.closed) revert CaseIsClosed(jobId);
    }

    function _sizeOf(uint8 round) private view returns (uint256) {
        return round == 2 ? uint256(_terms.committeeSize) * 2 : _terms.committeeSize;
    }

    function _setTerms(Terms memory t) private {
        if (t.committeeSize < 3 || t.voteWindowSec == 0) revert InvalidTerms();
        _terms = t;
        emit TermsChanged(t);
    }
}
