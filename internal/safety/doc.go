// Package safety owns the emergency freeze (紧急冻结, 手机丢失应急): revoking
// every session and token of a user at once, marking them frozen until an
// admin lifts it, the checklist for the WeChat account itself with each
// step recorded, and the annual drill of that checklist; and the phishing
// drill (钓鱼演练) and its scores over time. Access decisions come from
// internal/access; every freeze, unfreeze and step is audited in the same
// transaction as the change.
package safety
