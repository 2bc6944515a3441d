// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {Payroll} from "../payroll/Payroll.sol";
import {PermitPayments} from "./PermitPayments.sol";

/**
 * @title AssetFees
 * @notice Pays a usage fee to whoever owns an asset at payment time: directly to {ownerOf} when the asset has no
 * lineage (one transfer), through Payroll when its income must be split upstream.
 */
library AssetFees {
    using SafeERC20 for IERC20;

    /// @dev The caller must have approved `payroll` for its AIC (done once in the paying contract's constructor).
    function payUsageFee(IERC20 aic, AssetRegistry registry, Payroll payroll, uint256 assetId, uint256 amount) internal {
        if (amount == 0) return;
        (address owner,,, bool hasLineage) = registry.payeeOf(assetId);
        if (hasLineage) {
            PermitPayments.Permit memory none;
            payroll.pay(assetId, amount, none);
        } else {
            aic.safeTransfer(owner, amount);
        }
    }
}
