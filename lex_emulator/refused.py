"""The one list of valid ``AWS::Lex::Bot`` features the emulator refuses at load (README quotes it).

Each entry is where the feature sits (a field path, ``[]`` for any index) and why it is refused.
The loader stops on every one of them with a `BotDefinitionError` naming the field's path; a test
loads a bot using each feature and expects that refusal.
"""

from __future__ import annotations

REFUSED_FEATURES: tuple[tuple[str, str], ...] = (
    ("BotFileS3Location", "bot import from S3: put the definition in the file"),
    ("BotLocales[].GenerativeAISettings", "generative AI features (Bedrock)"),
    ("BotLocales[].Intents[].ParentIntentSignature", "built-in intents other than AMAZON.FallbackIntent"),
    ("BotLocales[].Intents[].KendraConfiguration", "Amazon Kendra search intents"),
    ("BotLocales[].Intents[].QnAIntentConfiguration", "QnA (Bedrock knowledge base) intents"),
    (
        "BotLocales[].Intents[].Slots[].SlotTypeName",
        "built-in slot types the emulator does not implement (AMAZON.Airport, AMAZON.SearchQuery, ...)",
    ),
    ("BotLocales[].Intents[].Slots[].SubSlotSetting", "composite slots"),
    (
        "BotLocales[].Intents[].Slots[].MultipleValuesSetting.AllowMultipleValues",
        "multiple values in a slot of a built-in type (Lex allows them on custom types only)",
    ),
    (
        "BotLocales[].Intents[].Slots[].ValueElicitationSetting.WaitAndContinueSpecification.IsActive",
        "wait-and-continue (streaming conversations only)",
    ),
    (
        "BotLocales[].Intents[].FulfillmentCodeHook.FulfillmentUpdatesSpecification.Active",
        "fulfillment progress updates (streaming conversations only)",
    ),
    ("BotLocales[].SlotTypes[].ValueSelectionSetting.ResolutionStrategy", "CONCATENATION resolution"),
    ("BotLocales[].SlotTypes[].ExternalSourceSetting", "grammar slot types"),
    (
        "...Conditional.ConditionalBranches[].Condition.ExpressionString",
        "condition syntax outside the documented operators and EXISTS / CONTAINS / IN / NOT IN",
    ),
)
