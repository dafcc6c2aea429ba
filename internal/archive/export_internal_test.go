package archive

// VisibleRowByRow is the access rule applied conversation by conversation,
// for tests that hold the SQL form of the rule to it.
var VisibleRowByRow = (*Service).visibleRowByRow
