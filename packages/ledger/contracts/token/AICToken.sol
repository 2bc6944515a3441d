// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title AICToken
 * @notice "AI Crypto" (AIC): the fixed-supply payment token of the AIC economy. Exactly 10,000,000,000 AIC are minted
 * once, at deployment, to the six allocation addresses; the contract has no mint function afterwards.
 *
 * PoV issuance seam: a later, governed Proof-of-Value issuance does not mint here. It is a separate issuer contract
 * (on the PoV chain, where it can be native) that feeds new AIC into {RewardsPool-fundEmission}; RewardsPool is the only
 * place rewards are paid from, so switching issuance on changes no payer and no contract that holds AIC today.
 */
contract AICToken is ERC20, ERC20Permit {
    /// @notice The whole supply, in wei (18 decimals).
    uint256 public constant TOTAL_SUPPLY = 10_000_000_000 ether;

    /// @notice Recipients of the genesis allocation.
    struct Allocation {
        address investors; // 30 %
        address team; // 25 %
        address ecosystem; // 20 %, the RewardsPool (ecosystem incentives)
        address marketing; // 15 %
        address advisors; // 5 %
        address company; // 5 %
    }

    /// @notice Emitted once per allocation at deployment.
    event GenesisAllocated(bytes32 indexed bucket, address indexed recipient, uint256 amount);

    /// @param allocation The six recipients; none may be the zero address (ERC20 reverts with ERC20InvalidReceiver).
    constructor(Allocation memory allocation) ERC20("AI Crypto", "AIC") ERC20Permit("AI Crypto") {
        _allocate("investors", allocation.investors, 3_000);
        _allocate("team", allocation.team, 2_500);
        _allocate("ecosystem", allocation.ecosystem, 2_000);
        _allocate("marketing", allocation.marketing, 1_500);
        _allocate("advisors", allocation.advisors, 500);
        _allocate("company", allocation.company, 500);
        // The shares above sum to 10,000 bps, so the minted total is exactly TOTAL_SUPPLY.
        assert(totalSupply() == TOTAL_SUPPLY);
    }

    function _allocate(bytes32 bucket, address recipient, uint256 bps) private {
        uint256 amount = (TOTAL_SUPPLY * bps) / 10_000;
        _mint(recipient, amount);
        emit GenesisAllocated(bucket, recipient, amount);
    }
}
