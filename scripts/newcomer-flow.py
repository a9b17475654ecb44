"""The flow of telnyx-fax/examples/quickstart.rs (its `flow` function) with the
official Python SDK, written from the seeds' Python guide (client setup,
`client.fax_applications.create`, `client.faxes.create`, auto-paginating
`list`, `actions.cancel`, `delete`, `telnyx.NotFoundError`; 429s are retried
by the SDK). Kept for the line count in scripts/flow-lines.sh; not run (it
needs an account). Lines of the same width as the Rust file's (120 columns).
"""
import telnyx
from telnyx import Telnyx

FAX_ID = "5d2f7c1e-8b9a-4c3d-9e0f-1a2b3c4d5e6f"


def flow(client: Telnyx) -> None:
    # 1. A fax application holds the webhook settings for sending and receiving.
    app = client.fax_applications.create(
        application_name="fax-router",
        webhook_event_url="https://example.com/fax-events",
        anchorsite_override="Chicago, IL",
        webhook_timeout_secs=25,
    ).data
    print(f"1. created fax application {app.id} {app.application_name}, webhooks to {app.webhook_event_url}")

    # 2. Send a fax whose document is at a URL; the raw response shows the status.
    raw = client.faxes.with_raw_response.create(
        connection_id="234423",
        from_="+13125790015",
        to="+13127367276",
        media_url="https://example.com/docs/invoice.pdf",
        quality="high",
    )
    sent = raw.parse().data
    print(f"2. sent fax by URL ({raw.status_code}): id {sent.id}, status {sent.status}")

    # 3. Upload a document.
    with open("contract.pdf", "rb") as pdf:
        uploaded = client.faxes.create(
            connection_id="234423", from_="+13125790015", to="+13127367276", contents=pdf, quality="very_high"
        ).data
    print(f"3. uploaded contract.pdf: fax {uploaded.id}")

    # 4. Every outbound fax, two per page.
    print("4. outbound faxes:")
    for fax in client.faxes.list(filter={"direction": {"eq": "outbound"}}, page={"size": 2}):
        print(f"     {fax.id}  {fax.status}")

    # 5. Cancel a fax that is still queued.
    cancelled = client.faxes.actions.cancel(FAX_ID).data
    print(f"5. cancelled fax {FAX_ID}: {cancelled.result}")

    # 6. Delete it, then the application.
    client.faxes.delete(FAX_ID)
    client.fax_applications.delete(app.id)
    print(f"6. deleted fax {FAX_ID} and fax application {app.id}")

    # 7. A fax that does not exist is a 404.
    try:
        client.faxes.retrieve("no-such-fax")
    except telnyx.NotFoundError as err:
        print(f"7. a missing fax: {err}")

    # 8. A 429 is retried by the SDK, then the call succeeds.
    fax = client.faxes.retrieve(FAX_ID).data
    print(f"8. fax {fax.id} is {fax.status}, after a rate limit")


if __name__ == "__main__":
    flow(Telnyx())  # TELNYX_API_KEY
