// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/**
 * @title PermitPayments
 * @notice Pulls AIC from a payer, optionally consuming an EIP-2612 permit first, so users pay in one transaction.
 */
abstract contract PermitPayments {
    using SafeERC20 for IERC20;

    /// @notice An EIP-2612 permit signed by the payer for this contract. `deadline == 0` means "no permit".
    struct Permit {
        uint256 value;
        uint256 deadline;
        uint8 v;
        bytes32 r;
        bytes32 s;
    }

    IERC20 internal immutable _aic;

    constructor(IERC20 aic_) {
        _aic = aic_;
    }

    /// @notice The AIC token this contract is paid in.
    function aic() external view returns (IERC20) {
        return _aic;
    }

    /// @dev Consumes `permit` (if any) and pulls `amount` from `payer`. The permit call is wrapped in try/catch because
    /// anyone can front-run a permit from the mempool; if that happened, the allowance is already in place and the
    /// transferFrom below still succeeds (OpenZeppelin's recommended pattern, see IERC20Permit's security note).
    function _pull(address payer, uint256 amount, Permit calldata permit) internal {
        if (permit.deadline != 0) {
            try IERC20Permit(address(_aic)).permit(payer, address(this), permit.value, permit.deadline, permit.v, permit.r, permit.s) {}
                catch {}
        }
        if (amount != 0) _aic.safeTransferFrom(payer, address(this), amount);
    }

    /// @dev Pays `amount` from this contract. AIC has no transfer hooks and no blocklist, so a push to any address
    /// cannot be made to revert by the recipient: pushing is as safe as pull here and saves users a claim transaction.
    function _push(address to, uint256 amount) internal {
        if (amount != 0) _aic.safeTransfer(to, amount);
    }
}
