// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {PermitPayments} from "../shared/PermitPayments.sol";
import {AssetRegistry} from "../assets/AssetRegistry.sol";
import {AssetKind} from "../assets/AssetTypes.sol";

/**
 * @title DataRequests (the white paper's "initial requester")
 * @notice A member posts a data requirement (a hash of its schema, a minimum row count) with an escrowed reward;
 * owners of published datasets offer them; the requester accepts one, and the reward goes to that dataset NFT's owner
 * at payment time. Whether a dataset meets the requirement is checked off-chain against its manifest (the Data
 * Vessel does it); the chain holds the money and the record. Unclaimed rewards come back after the deadline.
 */
contract DataRequests is PermitPayments, ReentrancyGuardTransient {
    enum RequestState {
        None,
        Open,
        Fulfilled,
        Cancelled
    }

    struct Request {
        address requester;
        uint96 reward;
        bytes32 specHash; // keccak of the requirement JSON (schema, minimum rows, licence)
        uint64 minRows;
        uint32 deadline;
        RequestState state;
        uint48 datasetId; // the accepted dataset
    }

    AssetRegistry private immutable _registry;
    mapping(uint256 requestId => Request) private _requests;
    mapping(uint256 requestId => mapping(uint256 datasetId => bool)) private _offered;
    uint256 private _requestCount;

    event DataRequested(uint256 indexed requestId, address indexed requester, bytes32 specHash, uint64 minRows, uint96 reward, uint32 deadline);
    event DatasetOffered(uint256 indexed requestId, uint256 indexed datasetId, address indexed owner);
    event DataRequestFulfilled(uint256 indexed requestId, uint256 indexed datasetId, address indexed paidTo, uint96 reward);
    event DataRequestCancelled(uint256 indexed requestId);

    error RequestNotFound(uint256 requestId);
    error RequestNotOpen(uint256 requestId, RequestState state);
    error InvalidRequest(string reason);
    error NotRequester(uint256 requestId, address caller);
    error NotDatasetOwner(uint256 datasetId, address caller);
    error NotADataset(uint256 datasetId);
    error NotOffered(uint256 requestId, uint256 datasetId);
    error DeadlinePassed(uint256 requestId);
    error DeadlineNotPassed(uint256 requestId);

    constructor(IERC20 aic_, AssetRegistry registry_) PermitPayments(aic_) {
        _registry = registry_;
    }

    /// @notice Posts a data requirement and escrows its reward.
    function postRequest(bytes32 specHash, uint64 minRows, uint96 reward, uint32 deadline, Permit calldata permit)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        if (reward == 0) revert InvalidRequest("reward is zero");
        if (deadline <= block.timestamp) revert InvalidRequest("deadline not in the future");
        requestId = ++_requestCount;
        _requests[requestId] = Request(msg.sender, reward, specHash, minRows, deadline, RequestState.Open, 0);
        emit DataRequested(requestId, msg.sender, specHash, minRows, reward, deadline);
        _pull(msg.sender, reward, permit);
    }

    /// @notice Offers a published Dataset (or Data) asset for a request. Only the asset's owner may offer it.
    function offerDataset(uint256 requestId, uint256 datasetId) external {
        Request storage r = _open(requestId);
        if (block.timestamp > r.deadline) revert DeadlinePassed(requestId);
        (address owner, AssetKind kind,,) = _registry.payeeOf(datasetId);
        if (owner != msg.sender) revert NotDatasetOwner(datasetId, msg.sender);
        if (kind != AssetKind.Dataset && kind != AssetKind.Data) revert NotADataset(datasetId);
        _offered[requestId][datasetId] = true;
        emit DatasetOffered(requestId, datasetId, msg.sender);
    }

    /// @notice The requester accepts an offered dataset; the reward goes to its current owner.
    function acceptDataset(uint256 requestId, uint256 datasetId) external nonReentrant {
        Request storage r = _open(requestId);
        if (msg.sender != r.requester) revert NotRequester(requestId, msg.sender);
        if (!_offered[requestId][datasetId]) revert NotOffered(requestId, datasetId);
        address owner = _registry.ownerOf(datasetId);
        uint96 reward = r.reward;
        (r.reward, r.state, r.datasetId) = (0, RequestState.Fulfilled, uint48(datasetId));
        emit DataRequestFulfilled(requestId, datasetId, owner, reward);
        _push(owner, reward);
    }

    /// @notice Returns the reward of an unfulfilled request after its deadline (anyone may trigger it).
    function cancelRequest(uint256 requestId) external nonReentrant {
        Request storage r = _open(requestId);
        if (block.timestamp <= r.deadline) revert DeadlineNotPassed(requestId);
        uint96 reward = r.reward;
        (r.reward, r.state) = (0, RequestState.Cancelled);
        emit DataRequestCancelled(requestId);
        _push(r.requester, reward);
    }

    /// @notice A request's record.
    function requestOf(uint256 requestId) external view returns (Request memory) {
        Request memory r = _requests[requestId];
        if (r.state == RequestState.None) revert RequestNotFound(requestId);
        return r;
    }

    /// @notice Whether `datasetId` was offered for `requestId`.
    function isOffered(uint256 requestId, uint256 datasetId) external view returns (bool) {
        return _offered[requestId][datasetId];
    }

    function _open(uint256 requestId) private view returns (Request storage r) {
        r = _requests[requestId];
        if (r.state == RequestState.None) revert RequestNotFound(requestId);
        if (r.state != RequestState.Open) revert RequestNotOpen(requestId, r.state);
    }
}
