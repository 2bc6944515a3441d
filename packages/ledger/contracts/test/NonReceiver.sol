// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Test-only contract that implements no ERC721 receiver hook.
contract NonReceiver {
    function ping() external pure returns (bool) {
        return true;
    }
}
