// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";

/// @notice Test-only ERC721 receiver whose answer is chosen at deployment (OpenZeppelin ERC721ReceiverMock's cases).
contract ERC721ReceiverProbe is IERC721Receiver {
    enum Behaviour {
        Accept,
        WrongValue,
        RevertWithMessage,
        RevertWithoutMessage,
        RevertWithCustomError,
        Panic
    }

    Behaviour private immutable _behaviour;

    event Received(address operator, address from, uint256 tokenId, bytes data);

    error CustomRejection(bytes4 value);

    constructor(Behaviour behaviour) {
        _behaviour = behaviour;
    }

    function onERC721Received(address operator, address from, uint256 tokenId, bytes calldata data)
        external
        returns (bytes4)
    {
        if (_behaviour == Behaviour.WrongValue) return 0xdeadbeef;
        if (_behaviour == Behaviour.RevertWithMessage) revert("ERC721ReceiverProbe: reverting");
        if (_behaviour == Behaviour.RevertWithoutMessage) revert();
        if (_behaviour == Behaviour.RevertWithCustomError) revert CustomRejection(this.onERC721Received.selector);
        if (_behaviour == Behaviour.Panic) {
            uint256 zero = 0;
            return bytes4(uint32(1 / zero));
        }
        emit Received(operator, from, tokenId, data);
        return this.onERC721Received.selector;
    }
}
