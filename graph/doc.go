// Package graph is the network of the entities the store holds, as one
// viewer may see it: who owns, directs, is a member of, is related to or
// associated with whom; OFAC's "Linked To"; the identifiers, addresses,
// accounts and wallets that two records share; the accounts and wallets
// people hold and the payments between them.
//
// An Index holds the facts the network is made of, each with the
// visibility of the statements it rests on (audience, handling,
// contributor): an edge rests on the statements that state it (an
// Ownership's owner and asset, an account's holder, the two values that
// are shared), a node on the statements of its entity. A View is the
// network assembled for one concord.Filter (compiled by package access
// from the viewer): a node exists when the viewer sees one of its
// statements, an edge when the viewer sees every statement it rests on and
// both its ends; whether an entity is listed (a published list's record)
// is decided on the viewer's statements too. Every question — the
// neighbourhood of an entity, the shortest paths between two, the exposure
// of a counterparty to listed entities, components, communities,
// centrality — is answered on that View alone, and nothing is computed on
// the whole network first: a shared value counts only the holders the
// viewer sees (a value held by more than MaxShared of them, a town or a
// bank's head office, is not a link), so a hidden record changes neither
// the size, the paths nor the absence of anything a viewer receives.
//
// An Index follows the store entity by entity (Index.Replace, driven by
// Live from the change feed): a node's edges and a value's holders are kept
// in the order of the ids of the records that state them, so an index that
// followed changes answers as one built afresh from the same statements.
//
// The algorithms are gonum's (graph/traverse, graph/path, graph/topo,
// graph/community, graph/network, graph/layout) run on the View or on a
// bounded subgraph of it; exports are GraphML and Cytoscape JSON, and SVG
// for the console.
package graph
