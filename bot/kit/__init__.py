"""Small Discord helpers every feature shares: limits, replies, errors, checks, confirmation,
the /quiz group, modals, short references and bank/topic choices.

Nothing here knows a feature; features import the kit, never each other.
"""
