/**
 * The blast radius of a fleet change before it is merged, as data: which objects of which clusters
 * the change adds, removes or modifies (field by field, Secrets by key and hash), how each
 * cluster's synthesized Terraform configuration changes, and which live drift merging it would
 * overwrite or adopt; printed as text, JSON and Markdown (the pull request comment), and judged as
 * a check run. Pure: the caller renders, synthesizes and reads live state, and hands the results
 * in.
 */
package dev.fleetwarden.preview;
