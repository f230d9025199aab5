"""Next steps, conditional branches, contexts, default values, multi-value slots and intent switching,
turn by turn (Lex V2 guide pages named on each test)."""

from __future__ import annotations

from typing import Any

from lex_emulator.recognition import Ranked

from .dialog_support import Conversation, bot, intent, say, slot, slot_value, state, texts


def branch(name: str, expression: str, step: dict[str, Any], response: str | None = None) -> dict[str, Any]:
    found: dict[str, Any] = {"Name": name, "Condition": {"ExpressionString": expression}, "NextStep": step}
    if response is not None:
        found["Response"] = say(response)
    return found


def step(action: str, **extra: Any) -> dict[str, Any]:
    return {
        "DialogAction": {
            "Type": action,
            **{k: v for k, v in extra.items() if k in ("SlotToElicit", "SuppressNextMessage")},
        },
        **{k: v for k, v in extra.items() if k in ("Intent", "SessionAttributes")},
    }


TICKETS = intent(
    "BuyTickets",
    ["buy tickets", "buy {Count} tickets"],
    [slot("Count", "How many tickets?"), slot("Row", "Which row?")],
    InitialResponseSetting={
        "InitialResponse": say("Tickets, sure."),
        "Conditional": {
            "IsActive": True,
            "ConditionalBranches": [
                branch(
                    "TooMany",
                    "{Count} > 8",
                    step(
                        "ElicitSlot",
                        SlotToElicit="Count",
                        SuppressNextMessage=True,
                        Intent={"Slots": [{"SlotName": "Count"}]},
                    ),
                    "At most 8 tickets. How many?",
                ),
                branch(
                    "Group",
                    "{Count} >= 4",
                    step(
                        "ElicitSlot", SlotToElicit="Row", SessionAttributes=[{"Key": "group", "Value": "yes"}]
                    ),
                ),
            ],
            "DefaultBranch": {"Response": say("Just a few.")},
        },
    },
    FulfillmentCodeHook={
        "Enabled": False,
        "PostFulfillmentStatusSpecification": {
            "SuccessResponse": say("Booked {Count} in row {Row}."),
            "SuccessNextStep": step("ElicitIntent"),
        },
    },
    IntentClosingSetting={"ClosingResponse": say("Bye.")},
)


def test_the_initial_response_conditional_takes_the_first_true_branch() -> None:
    # "Add conditions to branch conversations": branches in order, else the default branch.
    many = Conversation(bot(TICKETS)).say("buy 12 tickets")
    group = Conversation(bot(TICKETS))
    four = group.say("buy 4 tickets")
    few = Conversation(bot(TICKETS)).say("buy tickets")

    assert texts(many) == ["Tickets, sure.", "At most 8 tickets. How many?"]
    assert slot_value(many, "Count") is None  # the branch's next step cleared it
    assert state(many) == ("ElicitSlot", "Count", "BuyTickets", "InProgress")
    assert texts(four) == ["Tickets, sure.", "Which row?"]
    assert four.session_state["sessionAttributes"] == {"group": "yes"}
    # {Count} is not set: the comparisons are not evaluated, the default branch runs, then Lex picks.
    assert texts(few) == ["Tickets, sure.", "Just a few.", "How many tickets?"]


def test_a_post_fulfillment_next_step_replaces_the_closing_response() -> None:
    # "Creating conversation paths": with an explicit next step the closing response is skipped.
    conversation = Conversation(bot(TICKETS))
    conversation.say("buy 2 tickets")
    done = conversation.say("7")

    assert texts(done) == ["Booked 2 in row 7."]
    assert done.session_state["dialogAction"] == {"type": "ElicitIntent"}
    assert done.session_state["intent"]["state"] == "ReadyForFulfillment"


def test_slot_capture_next_steps_and_conditionals() -> None:
    # Slot capture success: response, then a conditional on the captured value.
    capture = {
        "CaptureResponse": say("Got {Count}."),
        "CaptureConditional": {
            "IsActive": True,
            "ConditionalBranches": [branch("Zero", "{Count} = 0", step("CloseIntent"), "Nothing to do.")],
            "DefaultBranch": {"NextStep": step("FulfillIntent")},
        },
    }
    tickets = intent(
        "BuyTickets",
        ["buy tickets"],
        [slot("Count", "How many tickets?", SlotCaptureSetting=capture), slot("Row", "Which row?")],
        IntentClosingSetting={"ClosingResponse": say("Bye.")},
    )
    zero = Conversation(bot(tickets))
    zero.say("buy tickets")
    closed = zero.say("0")
    two = Conversation(bot(tickets))
    two.say("buy tickets")
    fulfilled = two.say("2")

    assert texts(closed) == ["Got 0.", "Nothing to do.", "Bye."]
    assert state(closed)[0] == "Close"
    # FulfillIntent skips the Row slot: the next step is followed as given.
    assert texts(fulfilled) == ["Got 2.", "Bye."]
    assert state(fulfilled) == ("Close", None, "BuyTickets", "ReadyForFulfillment")


def test_slot_failure_next_step_after_the_last_retry() -> None:
    tickets = intent(
        "BuyTickets",
        ["buy tickets"],
        [
            slot(
                "Count",
                "How many tickets?",
                SlotCaptureSetting={
                    "FailureResponse": say("Let's stop here."),
                    "FailureNextStep": step("EndConversation"),
                },
            )
        ],
    )
    conversation = Conversation(bot(tickets))
    conversation.say("buy tickets")

    assert texts(conversation.say("many")) == ["How many tickets?"]
    ended = conversation.say("really many")
    assert texts(ended) == ["Let's stop here."]
    assert state(ended) == ("Close", None, "BuyTickets", "InProgress")


def test_declination_next_step_can_start_another_intent_with_slot_values() -> None:
    # A next step of type StartIntent switches intent, with the slot values it sets.
    help_intent = intent("TalkToAgent", ["agent please"], [slot("Topic", "About what?", "Topic")])
    tickets = intent(
        "BuyTickets",
        ["buy {Count} tickets"],
        [slot("Count", "How many tickets?")],
        IntentConfirmationSetting={
            "PromptSpecification": {**say("{Count} tickets?"), "MaxRetries": 1},
            "DeclinationResponse": say("OK, an agent will help."),
            "DeclinationNextStep": {
                "DialogAction": {"Type": "StartIntent"},
                "Intent": {
                    "Name": "TalkToAgent",
                    "Slots": [
                        {
                            "SlotName": "Topic",
                            "SlotValueOverride": {
                                "Shape": "Scalar",
                                "Value": {"InterpretedValue": "tickets"},
                            },
                        }
                    ],
                },
            },
        },
    )
    topic_type = {"Name": "Topic", "SlotTypeValues": [{"SampleValue": {"Value": "tickets"}}]}
    conversation = Conversation(bot(tickets, help_intent, slot_types=[topic_type]))
    assert texts(conversation.say("buy 3 tickets")) == ["3 tickets?"]

    declined = conversation.say("no")

    assert texts(declined)[0] == "OK, an agent will help."
    assert declined.session_state["intent"]["name"] == "TalkToAgent"
    assert slot_value(declined, "Topic") == "tickets"
    assert state(declined) == ("Close", None, "TalkToAgent", "ReadyForFulfillment")


def test_output_contexts_gate_input_contexts_and_expire_after_their_turns() -> None:
    # "Setting intent context": output contexts on fulfilment, input contexts gate recognition.
    book = intent(
        "BookFlight",
        ["book a flight to {City}"],
        [slot("City", "Where to?", "City")],
        OutputContexts=[{"Name": "booked", "TimeToLiveInSeconds": 90, "TurnsToLive": 2}],
        FulfillmentCodeHook={
            "Enabled": False,
            "PostFulfillmentStatusSpecification": {"SuccessResponse": say("Booked {City}.")},
        },
    )
    hotel = intent(
        "BookHotel",
        ["a hotel too"],
        [
            {
                **slot("Where", "Which city?", "City"),
                "ValueElicitationSetting": {
                    **slot("Where", "Which city?", "City")["ValueElicitationSetting"],
                    "DefaultValueSpecification": {
                        "DefaultValueList": [{"DefaultValue": "#booked.City"}, {"DefaultValue": "[home]"}]
                    },
                },
            }
        ],
        InputContexts=[{"Name": "booked"}],
        FulfillmentCodeHook={
            "Enabled": False,
            "PostFulfillmentStatusSpecification": {"SuccessResponse": say("Hotel in {Where}.")},
        },
    )
    city = {
        "Name": "City",
        "SlotTypeValues": [{"SampleValue": {"Value": "Paris"}}, {"SampleValue": {"Value": "Rome"}}],
    }
    conversation = Conversation(bot(book, hotel, slot_types=[city]))

    before = conversation.say("a hotel too")
    assert before.session_state["intent"]["name"] == "FallbackIntent"
    flight = conversation.say("book a flight to Rome")
    assert texts(flight) == ["Booked Rome."]
    (context,) = flight.session_state["activeContexts"]
    assert context["name"] == "booked"
    assert context["contextAttributes"] == {"City": "Rome"}
    assert context["timeToLive"] == {"timeToLiveInSeconds": 90, "turnsToLive": 2}

    room = conversation.say("a hotel too")
    # The slot's default value came from the context: nothing to elicit.
    assert texts(room) == ["Hotel in Rome."]
    assert room.session_state["activeContexts"][0]["timeToLive"]["turnsToLive"] == 1
    conversation.say("a hotel too")
    assert "activeContexts" not in conversation.say("hi").session_state


def test_contexts_also_expire_by_seconds() -> None:
    book = intent(
        "BookFlight",
        ["book a flight"],
        OutputContexts=[{"Name": "booked", "TimeToLiveInSeconds": 30, "TurnsToLive": 20}],
    )
    hotel = intent("BookHotel", ["a hotel too"], InputContexts=[{"Name": "booked"}])
    conversation = Conversation(bot(book, hotel))
    conversation.say("book a flight")
    conversation.clock.now += 31

    assert conversation.say("a hotel too").session_state["intent"]["name"] == "FallbackIntent"


def test_default_values_from_a_session_attribute_or_a_literal() -> None:
    # "Using default slot values": tried in order before the slot is elicited.
    defaults = {"DefaultValueList": [{"DefaultValue": "[usual]"}, {"DefaultValue": "2"}]}
    tickets = intent(
        "BuyTickets",
        ["buy tickets"],
        [slot("Count", "How many tickets?", DefaultValueSpecification=defaults)],
    )
    with_attribute = Conversation(bot(tickets)).say(
        "buy tickets", session_state={"sessionAttributes": {"usual": "5"}}
    )
    literal = Conversation(bot(tickets)).say("buy tickets")

    assert slot_value(with_attribute, "Count") == "5"
    assert slot_value(literal, "Count") == "2"
    assert state(literal)[0] == "Close"


def test_a_default_in_angle_brackets_is_a_request_attribute_of_this_request() -> None:
    # "Using default slot values": Request attributes - <attribute-name>. Without the attribute the
    # source is skipped and the slot is elicited (the brackets are never a literal value).
    defaults = {"DefaultValueList": [{"DefaultValue": "<seats>"}]}
    tickets = intent(
        "BuyTickets",
        ["buy tickets"],
        [slot("Count", "How many tickets?", DefaultValueSpecification=defaults)],
        DialogCodeHook={"Enabled": True},
    )
    events: list[dict[str, Any]] = []

    def hook(event: dict[str, Any], context: Any) -> dict[str, Any]:
        events.append(event)
        current = event["sessionState"]["intent"]
        return {"sessionState": {"dialogAction": {"type": "Delegate"}, "intent": current}}

    sent = Conversation(bot(tickets), hook=hook).say("buy tickets", request_attributes={"seats": "3"})
    assert "proposedNextState" not in events[-1]  # the default fills the slot: nothing to elicit
    missing = Conversation(bot(tickets), hook=hook).say("buy tickets")

    assert slot_value(sent, "Count") == "3"
    assert state(sent)[0] == "Close"
    assert slot_value(missing, "Count") is None
    assert texts(missing) == ["How many tickets?"]
    assert events[-1]["proposedNextState"]["dialogAction"] == {"type": "ElicitSlot", "slotToElicit": "Count"}


def test_defaults_are_taken_when_the_intent_is_recognised_for_every_slot() -> None:
    # "When the intent is recognized, the slot ... has its value set": a request attribute sent with
    # the first request fills a slot elicited later, though later requests do not carry it.
    defaults = {"DefaultValueList": [{"DefaultValue": "<seats>"}]}
    tickets = intent(
        "BuyTickets",
        ["buy tickets"],
        [slot("Row", "Which row?"), slot("Count", "How many tickets?", DefaultValueSpecification=defaults)],
    )
    conversation = Conversation(bot(tickets))

    first = conversation.say("buy tickets", request_attributes={"seats": "4"})
    second = conversation.say("12")

    assert texts(first) == ["Which row?"]
    assert slot_value(first, "Count") == "4"
    assert (slot_value(second, "Row"), slot_value(second, "Count")) == ("12", "4")
    assert state(second)[0] == "Close"


def test_a_multi_value_slot_takes_a_list() -> None:
    # "Using multiple values in a slot": shape List, one value per item.
    toppings = {
        "Name": "Topping",
        "SlotTypeValues": [{"SampleValue": {"Value": v}} for v in ("ham", "olives", "basil")],
    }
    pizza = intent(
        "OrderPizza",
        ["order a pizza"],
        [
            {
                **slot("Toppings", "Which toppings?", "Topping"),
                "MultipleValuesSetting": {"AllowMultipleValues": True},
            }
        ],
        FulfillmentCodeHook={
            "Enabled": False,
            "PostFulfillmentStatusSpecification": {"SuccessResponse": say("With {Toppings}.")},
        },
    )
    conversation = Conversation(bot(pizza, slot_types=[toppings]))
    conversation.say("order a pizza")

    done = conversation.say("ham, olives and basil")

    value = done.session_state["intent"]["slots"]["Toppings"]
    assert value["shape"] == "List"
    # The guide's example: the List's value is the phrase as said, in a prompt too.
    assert value["value"] == {
        "originalValue": "ham, olives and basil",
        "interpretedValue": "ham, olives and basil",
        "resolvedValues": ["ham, olives and basil"],
    }
    assert [item["value"]["interpretedValue"] for item in value["values"]] == ["ham", "olives", "basil"]
    assert texts(done) == ["With ham, olives and basil."]


def test_a_condition_on_a_multi_value_slot_compares_the_comma_joined_values() -> None:
    # "Add conditions to branch conversations": a multi-value slot compares as the comma-separated
    # list of its interpreted values, not as the phrase the user said.
    toppings = {
        "Name": "Topping",
        "SlotTypeValues": [
            {"SampleValue": {"Value": "ham"}},
            {"SampleValue": {"Value": "olives"}, "Synonyms": [{"Value": "black olives"}]},
        ],
        "ValueSelectionSetting": {"ResolutionStrategy": "TOP_RESOLUTION"},
    }
    capture = {
        "CaptureConditional": {
            "IsActive": True,
            "ConditionalBranches": [
                branch("Classic", '{Toppings} = "ham, olives"', step("EndConversation"), "The classic!"),
                branch("Olives", '{Toppings} CONTAINS "olives"', step("EndConversation"), "Olives, then."),
            ],
            "DefaultBranch": {"Response": say("Noted."), "NextStep": step("EndConversation")},
        }
    }
    pizza = intent(
        "OrderPizza",
        ["order a pizza"],
        [
            {
                **slot("Toppings", "Which toppings?", "Topping", SlotCaptureSetting=capture),
                "MultipleValuesSetting": {"AllowMultipleValues": True},
            }
        ],
    )

    def answer(said: str) -> list[str]:
        conversation = Conversation(bot(pizza, slot_types=[toppings]))
        conversation.say("order a pizza")
        return texts(conversation.say(said))

    assert answer("ham and black olives") == ["The classic!"]
    assert answer("black olives") == ["Olives, then."]
    assert answer("ham") == ["Noted."]


# For intent switching: tickets with one slot, and an intent that only answers.
SWITCH_TICKETS = intent("BuyTickets", ["buy tickets"], [slot("Count", "How many tickets?")])
CANCEL = intent(
    "Cancel",
    ["cancel my order"],
    FulfillmentCodeHook={
        "Enabled": False,
        "PostFulfillmentStatusSpecification": {"SuccessResponse": say("Cancelled.")},
    },
)


def test_an_utterance_of_another_intent_during_elicitation_switches_intent() -> None:
    conversation = Conversation(bot(SWITCH_TICKETS, CANCEL))
    conversation.say("buy tickets")

    switched = conversation.say("cancel my order")

    assert texts(switched) == ["Cancelled."]
    assert switched.session_state["intent"]["name"] == "Cancel"
    assert switched.interpretations[0]["intent"]["name"] == "Cancel"


def test_a_slot_answer_that_says_another_intents_sample_within_more_words_switches() -> None:
    # The guide names no rule for intent switching; ours: no value for the slot, the best
    # interpretation is another intent, and the input says one of its samples (two words or more).

    def cancel_first(text: str, resolver: object) -> list[Ranked]:  # an NLU's best guess
        best = "BuyTickets" if text == "buy tickets" else "Cancel"
        return [Ranked(best, 0.7), Ranked("FallbackIntent", None)]

    conversation = Conversation(bot(SWITCH_TICKETS, CANCEL))
    conversation.runtime._ranker.rank = cancel_first  # type: ignore[method-assign]
    conversation.say("buy tickets")

    switched = conversation.say("oh wait, cancel my order please")

    assert texts(switched) == ["Cancelled."]
    assert switched.session_state["intent"]["name"] == "Cancel"
    stays = Conversation(bot(SWITCH_TICKETS, CANCEL))
    stays.runtime._ranker.rank = cancel_first  # type: ignore[method-assign]
    stays.say("buy tickets")
    kept = stays.say("my order is large")  # the best guess, but none of Cancel's samples said
    assert texts(kept) == ["How many tickets?"]
    assert kept.session_state["intent"]["name"] == "BuyTickets"


def test_ordered_prompts_use_the_next_variation_on_each_retry() -> None:
    prompt = {
        "MessageGroupsList": [
            {
                "Message": {"PlainTextMessage": {"Value": "How many?"}},
                "Variations": [{"PlainTextMessage": {"Value": "A number, please?"}}],
            }
        ],
        "MaxRetries": 2,
        "MessageSelectionStrategy": "Ordered",
    }
    count = slot("Count", "unused")
    count["ValueElicitationSetting"]["PromptSpecification"] = prompt
    conversation = Conversation(bot(intent("BuyTickets", ["buy tickets"], [count])))

    assert texts(conversation.say("buy tickets")) == ["How many?"]
    assert texts(conversation.say("lots")) == ["A number, please?"]
    assert texts(conversation.say("heaps")) == ["How many?"]


def test_multiple_values_also_come_from_a_sample_utterance_and_korean_particles() -> None:
    toppings = {
        "Name": "Topping",
        "SlotTypeValues": [{"SampleValue": {"Value": v}} for v in ("ham", "olives", "햄", "올리브")],
    }
    pizza = intent(
        "OrderPizza",
        ["a pizza with {Toppings}", "{Toppings} 피자 주세요"],
        [
            {
                **slot("Toppings", "Which toppings?", "Topping"),
                "MultipleValuesSetting": {"AllowMultipleValues": True},
            }
        ],
    )

    english = Conversation(bot(pizza, slot_types=[toppings])).say("a pizza with ham and olives")
    korean = Conversation(bot(pizza, slot_types=[toppings])).say("햄과 올리브 피자 주세요")

    for answer, expected in ((english, ["ham", "olives"]), (korean, ["햄", "올리브"])):
        value = answer.session_state["intent"]["slots"]["Toppings"]
        assert [item["value"]["interpretedValue"] for item in value["values"]] == expected
        assert state(answer) == ("Close", None, "OrderPizza", "ReadyForFulfillment")


def test_an_explicit_next_step_is_followed_and_evaluate_conditional_goes_to_the_branches() -> None:
    # "Creating conversation paths": the conditional runs when the next step is EvaluateConditional.
    def tickets(next_action: str) -> dict[str, Any]:
        conditional = {
            "IsActive": True,
            "ConditionalBranches": [branch("Any", "EXISTS({Count})", step("CloseIntent"), "Branch taken.")],
            "DefaultBranch": {},
        }
        return intent(
            "BuyTickets",
            ["buy {Count} tickets"],
            [slot("Count", "How many tickets?"), slot("Row", "Which row?")],
            InitialResponseSetting={
                "NextStep": step(next_action, SlotToElicit="Row"),
                "Conditional": conditional,
            },
        )

    elicited = Conversation(bot(tickets("ElicitSlot"))).say("buy 2 tickets")
    branched = Conversation(bot(tickets("EvaluateConditional"))).say("buy 2 tickets")

    assert texts(elicited) == ["Which row?"]
    assert texts(branched) == ["Branch taken."]
    assert state(branched)[0] == "Close"
