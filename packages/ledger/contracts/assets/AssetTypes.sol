// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The four asset kinds of the AIC economy.
enum AssetKind {
    Data,
    Dataset,
    Model,
    TrainedAI
}

/// @notice One upstream asset and the share of income that flows to it, in basis points.
struct LineageLink {
    uint256 parentId;
    uint16 shareBps;
}

/// @notice What a minter declares about a new asset.
struct AssetInput {
    AssetKind kind;
    string manifestCid;
    bytes32 contentRoot;
    uint96 pricePerUse;
    uint32 licenseId;
    LineageLink[] lineage;
    address royaltyReceiver;
    uint96 royaltyBps;
}
