// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ComputeMarket} from "../compute/ComputeMarket.sol";
import {Job, JobState} from "../compute/JobTypes.sol";

/// @notice Test-only reader: gathers in one eth_call what the property tests check after every operation.
contract LedgerProbe {
    struct MarketView {
        uint256 heldEscrow; // AIC the market holds for jobs (funded, not yet paid out)
        uint256 uncoveredJobs; // jobs whose escrow is below their outstanding obligations
        uint256 openJobs; // jobs not in a terminal state
    }

    /// @notice AIC balances of `holders`.
    function balancesOf(IERC20 token, address[] calldata holders) external view returns (uint256[] memory out) {
        out = new uint256[](holders.length);
        for (uint256 i = 0; i < holders.length; ++i) {
            out[i] = token.balanceOf(holders[i]);
        }
    }

    /// @notice Sums held escrow and counts jobs whose escrow does not cover what they still owe.
    function marketView(ComputeMarket market) external view returns (MarketView memory v) {
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
