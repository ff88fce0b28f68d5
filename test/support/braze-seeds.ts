/**
 * The two request bodies of Braze's "Braze to Braze webhooks" article (../shared/seeds), verbatim:
 * the templates real users paste, used by the behaviour, transport and editor tests alike.
 */

/** Use case 1: keep an event property as a custom attribute. */
export const SEED_EVENT_PROPERTY = `{
  "attributes": [
    {
      "external_id": "{{\${user_id}}}",
      "new_custom_attribute": "{{event_properties.\${your_event_property}}}"
    }
  ]
}`;

/** Use case 2: increment a counter attribute (Liquid assign with a nested attribute). */
export const SEED_COUNTER = `{% assign new_number = {{custom_attribute.\${your_attribute_count}}} | plus: 1 %}
{
    "attributes": [
        {
        "external_id": "{{\${user_id}}}",
        "your_attribute_count": "{{new_number}}"
        }
    ]
}`;
