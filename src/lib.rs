//! The Benefits workspace web app (placeholder until the app lands in this commit series).
