// Package lawref owns law citations in Chinese text: it extracts 《…》
// citations with their article numbers, checks them against an embedded,
// sourced validity dataset (laws repealed by the Civil Code, the Supreme
// People's Court's 2020 clean-up of judicial interpretations, articles
// renumbered by the 2023 Civil Procedure Law), suggests a disclaimer for legal
// analysis that lacks one, and flags unsourced mentions of "the latest"
// policy or interpretation.
package lawref
