//! A Kratos login for a native app: start an API login flow, show its form fields, submit a
//! password, and read the session (or the flow again, with messages, when the credentials are wrong).
//!
//! ```text
//! ORY_PROJECT_SLUG=my-project LOGIN_ID=a@b.c LOGIN_PASSWORD=... cargo run -p ory-client --example kratos_login
//! ```

use ory_client::apis::frontend::{UpdateLoginFlowError, UpdateLoginFlowResponse};
use ory_client::models::{
    UiNodeAttributes, UpdateLoginFlowBody, UpdateLoginFlowWithPasswordMethod,
};
use ory_client::{Client, Error};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let ory = Client::builder()
        .project_slug(std::env::var("ORY_PROJECT_SLUG").unwrap_or_else(|_| "playground".into()))
        .build()?;

    let flow = ory.frontend().create_native_login_flow().await?;
    for node in &flow.ui.nodes {
        if let UiNodeAttributes::Input(input) = &node.attributes {
            println!("field {} ({:?})", input.name, input.r#type);
        }
    }

    let body = UpdateLoginFlowBody::Password(UpdateLoginFlowWithPasswordMethod::new(
        std::env::var("LOGIN_ID")?,
        std::env::var("LOGIN_PASSWORD")?,
    ));
    match ory
        .frontend()
        .update_login_flow(&flow.id.to_string(), &body)
        .await
    {
        Ok(UpdateLoginFlowResponse::Status200(login)) => {
            println!("signed in: session {}", login.session.id)
        }
        Ok(UpdateLoginFlowResponse::Status303) => println!("redirected (a browser flow)"),
        // The answers are `#[non_exhaustive]`: a status a later spec documents lands here.
        Ok(other) => println!("answered {other:?}"),
        Err(Error::Api(answer)) => match &answer.body {
            UpdateLoginFlowError::Status400(flow) => {
                for message in flow.ui.messages.iter().flatten() {
                    println!("{}: {}", message.id, message.text);
                }
            }
            other => println!("login failed with {}: {other:?}", answer.status),
        },
        Err(other) => return Err(other.into()),
    }
    Ok(())
}
