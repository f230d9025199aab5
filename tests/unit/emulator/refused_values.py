"""Values AWS::Lex::Bot's schema accepts (the loader checks it first) for features the emulator refuses:
the loader's and the refused-feature tests turn these features on with them."""

from __future__ import annotations

S3_BOT_FILE = {"S3Bucket": "bot-imports", "S3ObjectKey": "bot.zip"}
KENDRA = {"KendraIndex": "arn:aws:kendra:us-east-1:123456789012:index/faq-index"}
QNA = {
    "BedrockModelConfiguration": {
        "ModelArn": "arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-lite-v1:0"
    },
    "DataSourceConfiguration": {
        "BedrockKnowledgeStoreConfiguration": {
            "BedrockKnowledgeBaseArn": "arn:aws:bedrock:us-east-1:123456789012:knowledge-base/KB12345678"
        }
    },
}
WAIT_RESPONSE = {"MessageGroupsList": [{"Message": {"PlainTextMessage": {"Value": "Take your time."}}}]}
WAIT_AND_CONTINUE_ON = {"IsActive": True, "WaitingResponse": WAIT_RESPONSE, "ContinueResponse": WAIT_RESPONSE}
