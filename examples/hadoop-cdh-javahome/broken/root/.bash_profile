# .bash_profile of root on the CDH node: read by interactive login shells only.
if [ -f ~/.bashrc ]; then
    . ~/.bashrc
fi

export JAVA_HOME=/usr/java/jdk1.8.0_181
PATH=$JAVA_HOME/bin:$PATH:$HOME/bin
export PATH
