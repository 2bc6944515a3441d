// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComputeMarket} from "../compute/ComputeMarket.sol";
import {Job, JobState} from "../compute/JobTypes.sol";

interface ILedgerTotals {
    function totalStaked() external view returns (uint256);
    function totalOwed() external view returns (uint256);
    function reserved() external view returns (uint256);
    function available() external view returns (uint256);
}

/// @notice Test-only reader: gathers in one eth_call what the property tests check after every operation.
contract LedgerProbe {
    struct MarketView {
        uint256 heldEscrow; // AIC the market holds for jobs (funded, not yet paid out)
        uint256 uncoveredJobs; // jobs whose escrow is below their outstanding obligations
        uint256 openJobs; // jobs not in a terminal state
    }

    /// @notice Everything the ledger invariants read, as of one block.
    struct LedgerView {
        uint256[] balances; // AIC balances of `holders`, in order
        MarketView market;
        uint256 totalSupply;
        uint256 marketStaked; // ComputeMarket.totalStaked()
        uint256 marketOwed; // ComputeMarket.totalOwed()
        uint256 payrollOwed; // Payroll.totalOwed()
        uint256 rewardsReserved; // RewardsPool.reserved()
        bool rewardsAvailableReverts; // RewardsPool.available() reverts iff the pool promised more than it holds
    }

    /// @notice The property tests' per-step reads in one call (each eth_call costs the embedded EVM more than the
    /// reads it runs): balancesOf + marketView + the totals of token, market, Payroll and RewardsPool.
    function ledgerView(
        IERC20 token,
        ComputeMarket market,
        ILedgerTotals payroll,
        ILedgerTotals rewards,
        address[] calldata holders
    ) external view returns (LedgerView memory v) {
        v.balances = this.balancesOf(token, holders);
        v.market = marketView(market);
        v.totalSupply = token.totalSupply();
        v.marketStaked = ILedgerTotals(address(market)).totalStaked();
        v.marketOwed = ILedgerTotals(address(market)).totalOwed();
        v.payrollOwed = payroll.totalOwed();
        v.rewardsReserved = rewards.reserved();
        try rewards.available() returns (uint256) {} catch {
            v.rewardsAvailableReverts = true;
        }
    }

    /// @notice AIC balances of `holders`.
    function balancesOf(IERC20 token, address[] calldata holders) external view returns (uint256[] memory out) {
        out = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; ++i) {
            out[i] = token.balanceOf(holders[i]);
        }
    }

    /// @notice Sums held escrow and counts jobs whose escrow does not cover what they still owe.
    function marketView(ComputeMarket market) public view returns (MarketView memory v) {
        uint256 count = market.jobCount();
        for (uint256 id = 1; id <= count; ++id) {
            Job memory j = market.jobOf(id);
            JobState s = j.state;
            bool terminal = s == JobState.Settled || s == JobState.Slashed || s == JobState.Refunded;
            if (!terminal) v.openJobs += 1;
            if (s == JobState.Created || terminal) continue; // Created holds nothing yet
            v.heldEscrow += j.escrow;
            uint256 owed = uint256(j.datasetFee) + j.modelFee + j.verifierFee;
            bool assigned = s == JobState.Assigned || s == JobState.Running || s == JobState.Reassigned
                || s == JobState.Committed || s == JobState.Verifying || s == JobState.Disputed;
            if (assigned) owed += j.providerPrice + (uint256(j.providerPrice) * j.protocolFeeBps) / 10_000;
            if (s != JobState.Expired && j.escrow < owed) v.uncoveredJobs += 1;
        }
    }
}
