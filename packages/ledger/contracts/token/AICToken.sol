// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";

/**
 * @title AICToken
 * @notice "AI Crypto" (AIC): the payment token of the AIC economy. Exactly 10,000,000,000 AIC are minted at
 * deployment to the six allocation addresses (the genesis supply).
 *
 * Extra issuance (the white paper's 追加发行, on the PoV chain): the deployer may name ONE minter, once, and nobody can
 * change it afterwards; only that address can ever mint. The PoV deployment names the governed {AICIssuer}, which
 * mints per epoch into the RewardsPool; a deployment that names no minter keeps the supply fixed forever.
 */
contract AICToken is ERC20, ERC20Permit {
    /// @notice The genesis supply, in wei (18 decimals); the whole supply unless a minter issues more.
    uint256 public constant TOTAL_SUPPLY = 10_000_000_000 ether;

    /// @notice The only address that can mint after genesis (zero: none, the supply is fixed).
    address public minter;
    /// @dev Who may name the minter (once): the deployer, so a deployment script can wire the issuer it deploys.
    address private immutable _minterSetter;

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
    /// @notice Emitted once, when the deployer names the minter.
    event MinterSet(address indexed minter);

    error AICNotMinter(address caller);
    error AICMinterAlreadySet(address minter);
    error AICNotMinterSetter(address caller);
    error AICZeroMinter();

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
        _minterSetter = msg.sender;
    }

    /// @notice Names the sole minter. Deployer only, once; it can never be changed or revoked afterwards.
    function setMinter(address minter_) external {
        if (msg.sender != _minterSetter) revert AICNotMinterSetter(msg.sender);
        if (minter != address(0)) revert AICMinterAlreadySet(minter);
        if (minter_ == address(0)) revert AICZeroMinter();
        minter = minter_;
        emit MinterSet(minter_);
    }

    /// @notice Mints new AIC (extra issuance). The minter only; with no minter named, nobody.
    function mint(address to, uint256 amount) external {
        if (msg.sender != minter) revert AICNotMinter(msg.sender);
        _mint(to, amount);
    }

    function _allocate(bytes32 bucket, address recipient, uint256 bps) private {
        uint256 amount = (TOTAL_SUPPLY * bps) / 10_000;
        _mint(recipient, amount);
        emit GenesisAllocated(bucket, recipient, amount);
    }
}
