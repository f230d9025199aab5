"""A corpus of Lex V2 bots written for these tests, each with multi-turn dialog tests through boto3.

Each bot mirrors the features of a kind of bot found in AWS's documentation and samples (not their content):
order_flowers, book_trip, banking (contexts), appointments (dates, dialog code hook), pin_entry (regex),
office_multilocale (en_US/ko_KR/es_ES), returns_desk_export (a console export .zip with conditional flows),
spanish_restaurant (es_US), pizza_order (multi-value slot, variations), support_desk (cards, SSML,
custom payload), survey (initial response, capture branches), contact_details (built-in name/email/phone/
country types, elicitation hook), japanese_taxi (ja_JP) and hr_faq (paraphrases and off-topic questions).
The tests state the behaviour the Lex V2 developer guide documents; test_corpus_schema.py checks every
bot file against CloudFormation's AWS::Lex::Bot schema.
"""
