"""The Streamlit page for marketing and customer-relationship readers."""
